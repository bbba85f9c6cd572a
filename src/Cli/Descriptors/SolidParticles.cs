using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.OrderParameters;
using StreamMonitor.Core;

namespace StreamMonitor.Cli.Descriptors;

/// <summary>
/// The solid flags the cluster and interface kinds start from: ten Wolde solid bonds on q6 from the neighbour options,
/// as LAMMPS <c>compute coord/atom orientorder</c> on <c>compute orientorder/atom components 6 nnn K cutoff rc</c>.
/// q6 comes from the <c>--nnn</c> nearest within <c>--cutoff</c> (12 nearest when neither is given, every neighbour
/// within the cutoff when only it is); bonds are counted — and clusters linked — over every neighbour within the
/// cutoff, or over the same nearest neighbours when there is no cutoff.
/// </summary>
internal sealed class SolidParticles
{
    private readonly int? _nearest;
    private readonly double? _cutoff;
    private readonly SolidBonds _bonds;
    private readonly Steinhardt? _averaged;

    private SolidParticles(int? nearest, double? cutoff, SolidBonds bonds, Steinhardt? averaged)
    {
        _nearest = nearest;
        _cutoff = cutoff;
        _bonds = bonds;
        _averaged = averaged;
    }

    /// <summary>Checks the neighbour and solid-bond options (naming the option at fault) and prepares the computes.</summary>
    public static SolidParticles FromOptions(DescriptorOptions options)
    {
        if (options.Nearest is { } k && k < 1) throw new ArgumentException($"--nnn must be at least 1, got {k}");
        if (options.Cutoff is { } rc && !(rc > 0 && double.IsFinite(rc))) throw new ArgumentException($"--cutoff must be positive, got {rc}");
        if (!(options.BondThreshold > -1 && options.BondThreshold < 1))
            throw new ArgumentException($"--threshold must be strictly between -1 and 1, got {options.BondThreshold}");
        if (options.SolidBonds < 1) throw new ArgumentException($"--bonds must be at least 1, got {options.SolidBonds}");
        int? nearest = options.Nearest ?? (options.Cutoff is null ? 12 : null);
        var averaged = options.Average ? new Steinhardt([6], average: true, components: 6) : null;
        return new SolidParticles(nearest, options.Cutoff, new SolidBonds(options.BondThreshold, options.SolidBonds), averaged);
    }

    /// <summary>Solid bonds of a frame, and the neighbour list the bonds were counted on (the links for clusters).</summary>
    public (SolidBondsResult Bonds, NeighborList Links) Compute(Frame frame)
    {
        if (!frame.Box.HasCell) throw new ArgumentException("the frame has no periodic cell; solid bonds need one");
        if (frame.AtomCount <= (_nearest ?? 0))
            throw new ArgumentException($"the frame has {frame.AtomCount} atoms, too few for {_nearest} nearest neighbours");
        using var query = NeighborQuery.FromFrame(frame, _cutoff ?? CellSizeFor(frame, _nearest!.Value));
        var orientation = _nearest is { } k ? query.Nearest(k, _cutoff) : query.WithinCutoff(_cutoff!.Value);
        var links = _cutoff is { } rc && _nearest is not null ? query.WithinCutoff(rc) : orientation;
        var bonds = _averaged is null
            ? _bonds.Compute(orientation, links)
            : _bonds.Compute(_averaged.Compute(orientation), links);
        return (bonds, links);
    }

    /// <summary>A cell size for a k-nearest search without a cutoff: the radius of a sphere holding about 2k atoms.</summary>
    private static double CellSizeFor(Frame frame, int k) =>
        Math.Cbrt(3.0 * 2 * k / (4 * Math.PI * frame.AtomCount / Math.Abs(frame.Box.Volume)));
}
