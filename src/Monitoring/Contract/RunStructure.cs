namespace StreamMonitor.Monitoring;

/// <summary>
/// The latest frame's largest crystalline cluster and its surroundings, for a 3D view: the rows (atoms, or molecular
/// centres) of the cluster and those within <see cref="ShellRadius"/> of its centre, each with its position relative to
/// <see cref="Center"/> (minimum-image unwrapped, so a cluster across a periodic boundary comes out whole), its class and
/// whether it belongs to the cluster. Per-row values are parallel arrays, which keeps thousands of rows compact in JSON
/// (<c>run_structure</c> of the repository's schema). When more rows qualify than <see cref="Cap"/>, the cluster's rows
/// come first and the rows nearest the centre win.
/// </summary>
public sealed record RunStructure
{
    /// <summary>Rows given when the caller does not say.</summary>
    public const int DefaultCap = 4000;

    /// <summary>The most rows one answer gives: a browser draws this many spheres smoothly.</summary>
    public const int MaxCap = 20000;

    /// <summary>The class index of a row no class claimed.</summary>
    public const int Undefined = -1;

    public required string RunId { get; init; }

    public required long Frame { get; init; }

    public required long Step { get; init; }

    public double? Time { get; init; }

    public required string Model { get; init; }

    /// <summary>The model's classes in its order: <see cref="ClassIndex"/> points into this list.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    public required IReadOnlyList<string> CrystallineClasses { get; init; }

    /// <summary>Centre (x, y, z) the positions are relative to: the largest cluster's, else (no cluster) the box's.</summary>
    public required IReadOnlyList<double> Center { get; init; }

    /// <summary>The periodic cell; null for a frame without one.</summary>
    public StructureBox? Box { get; init; }

    /// <summary>Rows of the largest cluster in the frame (n_max); 0 when there is none.</summary>
    public required int ClusterSize { get; init; }

    /// <summary>Rows classified in the frame.</summary>
    public required int RowsInFrame { get; init; }

    /// <summary>Rows of the cluster or within the shell: what an unlimited cap would give.</summary>
    public required int RowsInShell { get; init; }

    /// <summary>Radius around <see cref="Center"/> within which rows are shown (Rg + 2 neighbour cutoffs); null without a cluster, when the rows nearest the centre are shown.</summary>
    public double? ShellRadius { get; init; }

    /// <summary>True when the cap left rows out (<see cref="RowsInShell"/> &gt; <see cref="Cap"/>).</summary>
    public required bool Truncated { get; init; }

    public required int Cap { get; init; }

    public required IReadOnlyList<float> X { get; init; }

    public required IReadOnlyList<float> Y { get; init; }

    public required IReadOnlyList<float> Z { get; init; }

    /// <summary>Per row, its class's index in <see cref="Classes"/>, or <see cref="Undefined"/>.</summary>
    public required IReadOnlyList<int> ClassIndex { get; init; }

    public required IReadOnlyList<bool> InCluster { get; init; }

    /// <summary>Per row, its element or type name when the frame names them (an element column, XYZ species); else null.</summary>
    public IReadOnlyList<string>? Element { get; init; }

    /// <summary>Throws unless <paramref name="maxAtoms"/> is a cap an answer can have (1 to <see cref="MaxCap"/>).</summary>
    public static void CheckCap(int maxAtoms)
    {
        if (maxAtoms is < 1 or > MaxCap)
            throw new ArgumentOutOfRangeException(nameof(maxAtoms), maxAtoms, $"max_atoms must be 1 to {MaxCap}, got {maxAtoms}");
    }
}
