using StreamMonitor.Analysis.Molecules;

namespace StreamMonitor.Cli.Descriptors;

/// <summary>
/// Everything <c>streammonitor descriptors</c> accepts, parsed once; each <see cref="DescriptorKind"/> reads the
/// options it needs and rejects combinations that make no sense for it.
/// </summary>
internal sealed record DescriptorOptions
{
    /// <summary>Steinhardt degrees (--l 4,6,8).</summary>
    public required IReadOnlyList<int> Degrees { get; init; }

    /// <summary>Number of nearest neighbours (--nnn); null when not given.</summary>
    public int? Nearest { get; init; }

    /// <summary>Neighbour cutoff (--cutoff); null when not given.</summary>
    public double? Cutoff { get; init; }

    /// <summary>Lechner–Dellago averaging (--average).</summary>
    public bool Average { get; init; }

    /// <summary>Solid-bond threshold on the normalised q6 product (--threshold).</summary>
    public double BondThreshold { get; init; } = 0.7;

    /// <summary>Solid bonds that make a particle solid (--bonds).</summary>
    public int SolidBonds { get; init; } = 7;

    /// <summary>Molecular symmetry-function preset (--preset urea|nicotinamide).</summary>
    public string? Preset { get; init; }

    /// <summary>Symmetry-function parameters in the reference INPUT format (--params FILE).</summary>
    public string? ParameterFile { get; init; }

    /// <summary>Atom roles of the molecule in files without sym_type, element names or masses (--roles, --roles-column).</summary>
    public AtomRoleMapping? AtomRoles { get; init; }

    /// <summary>Surface/core: radius of the neighbourhood (--radius); null = the kind's default.</summary>
    public double? Radius { get; init; }

    /// <summary>Surface/core: fewer neighbours than this means surface (--min-neighbors).</summary>
    public int SurfaceThreshold { get; init; } = 20;

    /// <summary>Interface: axis of the profile (--axis x|y|z).</summary>
    public char Axis { get; init; } = 'z';

    /// <summary>Interface: number of slabs of the profile (--bins).</summary>
    public int Bins { get; init; } = 40;
}
