using System.Text.Json.Nodes;
using StreamMonitor.Analysis.Parallelism;

namespace StreamMonitor.Classification.Features;

/// <summary>
/// Each atom's local graph as one fixed-width row, for graph networks: the atom itself and up to
/// <see cref="Neighbors"/> neighbours within <see cref="Cutoff"/>, nearest first, each node as
/// (present, type, own, dx, dy, dz) with the displacement from the atom (the atom's own node is at the origin).
/// Missing neighbours are all-zero nodes (present 0). <c>own</c> marks the nodes a network pools its readout over:
/// the atom's own node here, a molecule's atoms where rows are molecules.
/// </summary>
/// <remarks>
/// Raw displacements go into the row so the network can form every distance between nodes; a network that reads only
/// those distances is invariant under rotation, translation and the order of the neighbours. Rows of the same shape with
/// other nodes (<see cref="MolecularGraphFeatureSpec"/>: a molecule and the atoms around it) derive from this, so the
/// same graph network trains on and classifies either.
/// </remarks>
public record GraphFeatureSpec : FeatureSpec
{
    public const string KindName = "graph";

    /// <summary>Values per node: present, type, own, dx, dy, dz.</summary>
    public const int NodeWidth = 6;

    public GraphFeatureSpec(int neighbors, double cutoff, int types = 1)
    {
        if (neighbors is < 1 or > 256) throw new ArgumentException($"neighbors must be in 1..256, got {neighbors}", nameof(neighbors));
        if (!(cutoff > 0 && double.IsFinite(cutoff))) throw new ArgumentException($"cutoff must be positive, got {cutoff}", nameof(cutoff));
        if (types is < 1 or > 256) throw new ArgumentException($"types must be in 1..256, got {types}", nameof(types));
        Neighbors = neighbors;
        Cutoff = cutoff;
        Types = types;
        string[] parts = ["present", "type", "own", "dx", "dy", "dz"];
        Names = Enumerable.Range(0, neighbors + 1).SelectMany(k => parts.Select(p => $"n{k}_{p}")).ToArray();
    }

    /// <summary>
    /// The Lennard-Jones graph: 18 nearest neighbours within 1.5 σ, one atom type (LJ trajectories label some atoms
    /// with a second type that is physically the same, so types must not tell classes apart).
    /// </summary>
    public static GraphFeatureSpec LennardJones { get; } = new(18, 1.5);

    public override string Kind => KindName;

    /// <summary>Most neighbour nodes per row (K); rows have K + 1 nodes.</summary>
    public int Neighbors { get; }

    /// <summary>Neighbours beyond this distance (in the trajectory's length unit) are not nodes.</summary>
    public double Cutoff { get; }

    /// <summary>
    /// Distinct atom types the network embeds: with 1 every atom is the same type (0); otherwise atom type t (from 1)
    /// is type index t − 1, and a frame with a type above this is refused.
    /// </summary>
    public int Types { get; }

    public int Nodes => Neighbors + 1;
    public override IReadOnlyList<string> Names { get; }
    public override bool PerMolecule => false;

    public override IFeaturizer CreateFeaturizer(CoreBudget? cores = null) => new GraphFeaturizer(this, cores);

    public override JsonObject ToJson() => new()
    {
        ["kind"] = Kind,
        ["neighbors"] = Neighbors,
        ["cutoff"] = Cutoff,
        ["types"] = Types,
    };

    internal static GraphFeatureSpec Read(JsonObject json, string where)
    {
        try
        {
            return new GraphFeatureSpec(
                json["neighbors"]?.GetValue<int>() ?? throw new FormatException("no \"neighbors\""),
                json["cutoff"]?.GetValue<double>() ?? throw new FormatException("no \"cutoff\""),
                json["types"]?.GetValue<int>() ?? 1);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException($"{where}: features ({KindName}): {e.Message}", e);
        }
    }
}
