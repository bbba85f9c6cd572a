using System.Numerics;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Structure;

/// <summary>
/// Adaptive common-neighbour analysis (Stukowski, Modelling Simul. Mater. Sci. Eng. 20, 045021 (2012)): each particle
/// gets a cutoff of its own from its nearest neighbours' distances, so the analysis needs no global cutoff and holds
/// where the density varies (interfaces, strained or compressed crystals, any density of the same lattice).
/// <list type="bullet">
/// <item>fcc, hcp, ico: the 12 nearest neighbours, bonded to one another within (1 + √2)/2 × their mean distance
/// (halfway between the fcc first and second shells); fcc has 12 pairs of signature 421, hcp 6 of 421 and 6 of 422,
/// ico 12 of 555.</item>
/// <item>bcc, tried when none of those fits: the 14 nearest, within (1 + √2)/2 × the mean of (2/√3 × the 8 nearest
/// distances) and the 6 next (between the bcc second and third shells); bcc has 8 pairs of signature 666 and 6 of 444.</item>
/// </list>
/// A pair's signature (n_cn, n_b, n_lcb) is the number of neighbours the pair has in common, the number of bonds among
/// those, and the number of bonds in the largest connected cluster of them. As freud's computes: no per-frame state, so
/// one instance can serve many frames and threads.
/// </summary>
public sealed class AdaptiveCommonNeighbourAnalysis
{
    /// <summary>Neighbours each particle needs listed (the bcc test's 14), nearest first.</summary>
    public const int NeighborsNeeded = 14;

    private const int CloseNeighbors = 12, BccFirstShell = 8;
    private static readonly double CutoffPerShell = (1 + Math.Sqrt(2)) / 2;
    private static readonly double BccFirstToSecondShell = 2 / Math.Sqrt(3);

    /// <summary>Classifies every particle of a frame.</summary>
    public LocalStructureResult Compute(Frame frame) => Compute(Query(frame));

    /// <summary>A neighbour query over a frame's atoms sized for this analysis (also for other nearest-neighbour lists of the frame).</summary>
    public static NeighborQuery Query(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!frame.Box.HasCell) throw new ArgumentException($"frame {frame.Index} has no box; adaptive CNA needs the periodic cell");
        // Cells about as wide as the sphere that holds the 14 nearest neighbours at the mean density.
        double cellSize = Math.Cbrt(3.0 * NeighborsNeeded / (4 * Math.PI) * Math.Abs(frame.Box.Volume) / Math.Max(frame.AtomCount, 1));
        return NeighborQuery.FromFrame(frame, cellSize);
    }

    /// <summary>Classifies every particle of a query's frame (its <see cref="NeighborsNeeded"/> nearest neighbours).</summary>
    public LocalStructureResult Compute(NeighborQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        // A frame too small for 14 neighbours still has a structure for nobody: every particle is other.
        if (query.Count <= NeighborsNeeded) return new LocalStructureResult(new LocalStructure[query.Count]);
        return Compute(query.Nearest(NeighborsNeeded));
    }

    /// <summary>
    /// Classifies every particle from a nearest-neighbour list sorted by distance (e.g. <c>query.Nearest(14)</c>); a
    /// particle with fewer than 12 neighbours listed is other, one with fewer than 14 is never bcc.
    /// </summary>
    public LocalStructureResult Compute(NeighborList nearest)
    {
        ArgumentNullException.ThrowIfNull(nearest);
        if (!nearest.SortedByDistance) throw new ArgumentException("adaptive CNA needs each neighbour list sorted by distance (nearest first)", nameof(nearest));
        var list = nearest.Permuted ? nearest.InParticleOrder() : nearest;
        var structures = new LocalStructure[list.Count];
        Span<ushort> bonds = stackalloc ushort[NeighborsNeeded];
        for (int i = 0; i < list.Count; i++) structures[i] = Classify(list, i, bonds);
        return new LocalStructureResult(structures);
    }

    private static LocalStructure Classify(NeighborList list, int i, Span<ushort> bonds)
    {
        int listed = list.CountOf(i);
        if (listed < CloseNeighbors) return LocalStructure.Other;
        var distances = list.Distances(i);
        double mean = 0;
        for (int n = 0; n < CloseNeighbors; n++) mean += distances[n];
        mean /= CloseNeighbors;
        Bond(list, i, CloseNeighbors, CutoffPerShell * mean, bonds);
        var close = CloseSignatures(bonds[..CloseNeighbors]);
        if (close != LocalStructure.Other || listed < NeighborsNeeded) return close;

        double scale = 0;
        for (int n = 0; n < BccFirstShell; n++) scale += BccFirstToSecondShell * distances[n];
        for (int n = BccFirstShell; n < NeighborsNeeded; n++) scale += distances[n];
        scale /= NeighborsNeeded;
        Bond(list, i, NeighborsNeeded, CutoffPerShell * scale, bonds);
        return IsBcc(bonds[..NeighborsNeeded]) ? LocalStructure.Bcc : LocalStructure.Other;
    }

    /// <summary>Bit m of <paramref name="bonds"/>[n]: the n-th and m-th nearest neighbours are closer than the cutoff.</summary>
    private static void Bond(NeighborList list, int i, int count, double cutoff, Span<ushort> bonds)
    {
        var dx = list.Dx(i);
        var dy = list.Dy(i);
        var dz = list.Dz(i);
        double cutoff2 = cutoff * cutoff;
        bonds[..count].Clear();
        for (int a = 0; a < count; a++)
        {
            for (int b = a + 1; b < count; b++)
            {
                double ex = dx[a] - dx[b], ey = dy[a] - dy[b], ez = dz[a] - dz[b];
                if (ex * ex + ey * ey + ez * ez > cutoff2) continue;
                bonds[a] |= (ushort)(1 << b);
                bonds[b] |= (ushort)(1 << a);
            }
        }
    }

    private static LocalStructure CloseSignatures(ReadOnlySpan<ushort> bonds)
    {
        int s421 = 0, s422 = 0, s555 = 0;
        for (int n = 0; n < bonds.Length; n++)
        {
            var (common, bondCount, chain) = Signature(bonds, n);
            if (common == 4 && bondCount == 2 && chain == 1) s421++;
            else if (common == 4 && bondCount == 2 && chain == 2) s422++;
            else if (common == 5 && bondCount == 5 && chain == 5) s555++;
            else return LocalStructure.Other;
        }
        if (s421 == 12) return LocalStructure.Fcc;
        if (s421 == 6 && s422 == 6) return LocalStructure.Hcp;
        return s555 == 12 ? LocalStructure.Ico : LocalStructure.Other;
    }

    private static bool IsBcc(ReadOnlySpan<ushort> bonds)
    {
        int s444 = 0, s666 = 0;
        for (int n = 0; n < bonds.Length; n++)
        {
            var (common, bondCount, chain) = Signature(bonds, n);
            if (common == 4 && bondCount == 4 && chain == 4) s444++;
            else if (common == 6 && bondCount == 6 && chain == 6) s666++;
            else return false;
        }
        return s444 == 6 && s666 == 8;
    }

    /// <summary>
    /// The signature of the pair (centre, neighbour <paramref name="n"/>): the neighbours bonded to both (the centre
    /// is bonded to all of them), the bonds among those, and the bonds of their largest connected cluster.
    /// </summary>
    private static (int Common, int Bonds, int Chain) Signature(ReadOnlySpan<ushort> bonds, int n)
    {
        int common = bonds[n];
        int total = BondsWithin(bonds, common);
        int chain = 0;
        // Clusters of bonds joined by shared neighbours are the connected parts of the common neighbours' bond graph.
        for (int left = common; left != 0;)
        {
            int part = left & -left, grown = 0;
            while (grown != part)
            {
                grown = part;
                for (int rest = part; rest != 0; rest &= rest - 1) part |= bonds[BitOperations.TrailingZeroCount(rest)] & common;
            }
            chain = Math.Max(chain, BondsWithin(bonds, part));
            left &= ~part;
        }
        return (BitOperations.PopCount((uint)common), total, chain);
    }

    /// <summary>Bonds between members of the set <paramref name="members"/> (a bit mask of neighbours).</summary>
    private static int BondsWithin(ReadOnlySpan<ushort> bonds, int members)
    {
        int ends = 0;
        for (int rest = members; rest != 0; rest &= rest - 1) ends += BitOperations.PopCount((uint)(bonds[BitOperations.TrailingZeroCount(rest)] & members));
        return ends / 2;
    }
}
