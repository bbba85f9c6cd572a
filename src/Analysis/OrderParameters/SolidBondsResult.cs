namespace StreamMonitor.Analysis.OrderParameters;

/// <summary>
/// Solid bonds of one frame, from <see cref="SolidBonds.Compute(SteinhardtResult, Neighbors.NeighborList)"/>. Immutable:
/// it owns its arrays and hands out read-only views.
/// </summary>
public sealed class SolidBondsResult
{
    private readonly int[] _bonds;
    private readonly bool[] _solid;

    internal SolidBondsResult(int[] bonds, bool[] solid, int solidCount, SteinhardtResult orientations)
    {
        _bonds = bonds;
        _solid = solid;
        SolidCount = solidCount;
        Orientations = orientations;
    }

    public int ParticleCount => _bonds.Length;

    /// <summary>Per particle: the number of its neighbours it has a solid bond with (LAMMPS <c>coord/atom orientorder</c>).</summary>
    public ReadOnlySpan<int> Bonds => _bonds;

    /// <summary>Per particle: at least the minimum number of solid bonds.</summary>
    public ReadOnlySpan<bool> Solid => _solid;

    /// <summary>Number of solid particles.</summary>
    public int SolidCount { get; }

    /// <summary>The q_l vectors the bonds were judged on.</summary>
    public SteinhardtResult Orientations { get; }
}
