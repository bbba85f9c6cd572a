using StreamMonitor.Analysis.Interfaces;
using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Monitoring.Events;

namespace StreamMonitor.Monitoring.Pipeline;

/// <summary>
/// What <see cref="FrameSummarizer"/> counts as crystalline, how it links crystalline rows into clusters, how it splits the
/// largest cluster into surface and core, and whether and how it follows a crystal–liquid interface. Error messages name
/// the fields as a configuration file spells them (snake_case).
/// </summary>
public sealed record SummarizerOptions
{
    /// <summary>
    /// Atomic models: the default surface radius is the model's feature cutoff times this. A feature cutoff holds the
    /// first shell (1.5 σ for Lennard-Jones); 1.5 times it, 2.25 σ, is about two neighbour distances, as the paper's
    /// largest molecular radius + 6 Å is for urea's centres. Within it an atom of the crystal or of a dense liquid
    /// (ρ ≥ 0.8) sees 35–50 others and one of the outermost layer of a crystal in vacuum 15–28. A smaller sphere is too
    /// noisy: within 1.8 σ, where the surface falls below 15 of 18–20, a liquid at ρ = 0.85 puts 1 % of its atoms below 15
    /// as well, and they would read as surface.
    /// </summary>
    public const double AtomicSurfaceRadiusFactor = 1.5;

    /// <summary>
    /// Atomic models: fewer neighbours than this within the surface radius is surface: two-thirds of the dense bulk, as
    /// 20 of a bulk molecule's ~30 centres in Kuroshima et al. (2024). On a 459-atom Lennard-Jones fcc cluster in vacuum
    /// at T = 0.3 the outermost layer falls below it and the layer under it does not; in a liquid at ρ ≥ 0.8 fewer than
    /// one atom in 10⁴ does.
    /// </summary>
    public const int AtomicSurfaceMinNeighbors = 30;

    /// <summary>
    /// Classes counted as crystalline (n_max, crystalline fraction, dominant crystal); null for those the model file
    /// declares crystals (<see cref="StreamMonitor.Classification.Models.ModelFile.Roles"/>).
    /// </summary>
    public IReadOnlyList<string>? CrystallineClasses { get; init; }

    /// <summary>
    /// Centre-to-centre distance that links two crystalline molecules into one cluster (Å). Urea's nearest centres are
    /// 4.5–5.5 Å apart in its crystals, nicotinamide's 4–6 Å; 7 Å takes in the first shell and not the second.
    /// Atomic models link the neighbours their features were computed on (the model's cutoff).
    /// </summary>
    public double MolecularClusterCutoff { get; init; } = 7.0;

    /// <summary>
    /// Split the largest cluster's rows into surface and core (<see cref="FrameSummary.Surface"/>,
    /// <see cref="FrameSummary.Core"/>). On by default; it costs one more neighbour search per frame that
    /// has a crystalline cluster.
    /// </summary>
    public bool SurfaceCore { get; init; } = true;

    /// <summary>
    /// Radius within which centres (molecules) or atoms are counted for the surface/core split, in the file's length
    /// unit; null for the default: the largest molecular radius of the frame + 6 Å (molecular models, Kuroshima et al.
    /// 2024) or the model's feature cutoff × <see cref="AtomicSurfaceRadiusFactor"/> (atomic models).
    /// </summary>
    public double? SurfaceRadius { get; init; }

    /// <summary>
    /// Fewer centres or atoms than this within <see cref="SurfaceRadius"/> is surface; null for 20 (molecular models,
    /// Kuroshima et al. 2024) or <see cref="AtomicSurfaceMinNeighbors"/> (atomic models).
    /// </summary>
    public int? SurfaceMinNeighbors { get; init; }

    /// <summary>
    /// Lattice direction along which the solid fraction profile is taken and the interface placed: 'x', 'y' or 'z'
    /// ('a', 'b', 'c' are the same directions of a triclinic cell); null (the default) leaves the interface out.
    /// </summary>
    public char? InterfaceAxis { get; init; }

    /// <summary>
    /// A solid slab in a periodic box (two interfaces; the summary follows the upper one, where the solid ends going up
    /// the axis) or a single interface (a direction closed by walls).
    /// </summary>
    public InterfaceGeometry InterfaceGeometry { get; init; } = InterfaceGeometry.PeriodicSlab;

    /// <summary>Slabs of the solid fraction profile over one period of the axis. 40, as the <c>interface</c> descriptor.</summary>
    public int InterfaceBins { get; init; } = 40;

    /// <summary>
    /// Classes on the solid side of the interface; null for the crystalline classes (a crystal–liquid interface). Name
    /// one polymorph to follow a solid–solid front, e.g. urea form IV growing into form I.
    /// </summary>
    public IReadOnlyList<string>? InterfaceClasses { get; init; }

    /// <summary>
    /// Simulation time per MD step, for files that record no time (a LAMMPS dump without <c>ITEM: TIME</c>): the
    /// interface velocity is then per this time unit (e.g. 0.005 for σ/τ with LAMMPS' default LJ timestep). Null leaves
    /// such velocities per MD step. A file's own time always wins.
    /// </summary>
    public double? TimePerStep { get; init; }

    /// <summary>
    /// How the run's trajectory names the atoms of a molecular model's molecule (<c>--roles</c>, a run's <c>roles</c>);
    /// null reads the roles from each frame (<c>sym_type</c>, element names or numbers, masses).
    /// </summary>
    public AtomRoleMapping? AtomRoles { get; init; }

    /// <summary>The options a run's <see cref="SummarySettings"/> ask for, defaults where they say nothing.</summary>
    public static SummarizerOptions From(SummarySettings settings)
    {
        var defaults = new SummarizerOptions();
        return defaults with
        {
            CrystallineClasses = settings.CrystallineClasses,
            SurfaceCore = settings.SurfaceCore,
            SurfaceRadius = settings.SurfaceRadius,
            SurfaceMinNeighbors = settings.SurfaceMinNeighbors,
            InterfaceAxis = settings.InterfaceAxis,
            InterfaceGeometry = settings.InterfaceGeometry?.ToLowerInvariant() switch
            {
                null => defaults.InterfaceGeometry,
                "slab" => InterfaceGeometry.PeriodicSlab,
                "single" => InterfaceGeometry.Single,
                var other => throw new ArgumentException($"interface_geometry must be 'slab' or 'single', got '{other}'"),
            },
            InterfaceBins = settings.InterfaceBins ?? defaults.InterfaceBins,
            InterfaceClasses = settings.InterfaceClasses,
            TimePerStep = settings.TimePerStep,
        };
    }

    public void Validate(IReadOnlyList<string> modelClasses)
    {
        OptionChecks.Positive(MolecularClusterCutoff, "molecular_cluster_cutoff");
        if (CrystallineClasses is { Count: 0 }) throw new ArgumentException("crystalline_classes must name at least one class, or be left out for the model's crystal classes");
        KnownClasses(CrystallineClasses, "crystalline class", modelClasses);
        if (SurfaceRadius is { } radius) OptionChecks.Positive(radius, "surface_radius");
        if (SurfaceMinNeighbors is { } min) OptionChecks.AtLeastOne(min, "surface_min_neighbors");
        if (InterfaceAxis is { } axis && "xyzabc".IndexOf(char.ToLowerInvariant(axis)) < 0)
            throw new ArgumentException($"interface_axis must be x, y or z (or a, b, c), got '{axis}'");
        if (!Enum.IsDefined(InterfaceGeometry))
            throw new ArgumentException($"interface_geometry must be {string.Join(" or ", Enum.GetNames<InterfaceGeometry>())}, got {(int)InterfaceGeometry}");
        // Below 8 slabs a two-interface tanh (5 parameters) has almost nothing to fit.
        if (InterfaceBins < 8) throw new ArgumentException($"interface_bins must be at least 8, got {InterfaceBins}");
        if (InterfaceClasses is { Count: 0 }) throw new ArgumentException("interface_classes must name at least one class, or be left out for the crystalline classes");
        KnownClasses(InterfaceClasses, "interface class", modelClasses);
        if (TimePerStep is { } dt) OptionChecks.Positive(dt, "time_per_step");
    }

    private static void KnownClasses(IReadOnlyList<string>? classes, string what, IReadOnlyList<string> modelClasses)
    {
        foreach (var c in classes ?? [])
            if (!modelClasses.Contains(c))
                throw new ArgumentException($"{what} '{c}' is not one of the model's classes ({string.Join(", ", modelClasses)})");
    }
}
