using System.Numerics;
using System.Runtime.InteropServices;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.Parallelism;

namespace StreamMonitor.Analysis.OrderParameters;

/// <summary>
/// ten Wolde–Frenkel solid bonds (ten Wolde, Ruiz-Montero and Frenkel, J. Chem. Phys. 104, 9932 (1996)): particles i and j
/// are bonded when their normalised q_l vectors (l = 6 by default) are aligned,
/// Re Σ_m q_lm(i) q_lm(j)* / (|q_l(i)| |q_l(j)|) &gt; threshold (0.7), and a particle with at least a minimum number of
/// bonds (7) is solid. Like freud's <c>order.SolidLiquid</c>: parameters in the constructor, per-frame data in
/// <see cref="Compute(NeighborList, NeighborList)"/>, an immutable <see cref="SolidBondsResult"/> back.
/// </summary>
/// <remarks>
/// Matches LAMMPS <c>compute coord/atom orientorder ID threshold</c> on a <c>compute orientorder/atom ... components 6
/// nnn 12 cutoff rc</c>: the q_6 vectors come from the 12 nearest neighbours within rc while bonds are counted over every
/// neighbour within rc: <c>Compute(query.Nearest(12, rc), query.WithinCutoff(rc))</c>, or, with one gather,
/// <c>new SolidBonds(nearest: 12).Compute(query.WithinCutoff(rc))</c> (lists are sorted by distance, so the first 12
/// entries are the 12 nearest). A particle whose q_6 is undefined (incomplete shell) has a
/// zero vector: it bonds with nothing, and nothing bonds with it.
/// </remarks>
public sealed class SolidBonds
{
    private readonly Steinhardt _orientation;

    /// <param name="threshold">A bond needs the normalised product above this; strictly between −1 and 1.</param>
    /// <param name="minimumBonds">Bonds that make a particle solid (ten Wolde: 6–8).</param>
    /// <param name="degree">The l of the q_l vectors (6 for simple crystals).</param>
    /// <param name="nearest">
    /// The q_l vectors use only each particle's first k neighbours of the orientation list (LAMMPS <c>nnn</c>); null
    /// (default) uses the list as given, e.g. a <c>Nearest(12, rc)</c> list.
    /// </param>
    /// <param name="maxDegreeOfParallelism">Most threads for the q_l vectors of large systems; -1 = the budget's idle cores.</param>
    /// <param name="cores">The budget the q_l loop borrows from; null for <see cref="CoreBudget.Shared"/>.</param>
    public SolidBonds(double threshold = 0.7, int minimumBonds = 7, int degree = 6, int? nearest = null, int maxDegreeOfParallelism = -1,
        CoreBudget? cores = null)
    {
        if (!(threshold > -1 && threshold < 1))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the bond threshold must be strictly between -1 and 1");
        ArgumentOutOfRangeException.ThrowIfNegative(minimumBonds);
        Threshold = threshold;
        MinimumBonds = minimumBonds;
        Degree = degree;
        Nearest = nearest;
        _orientation = new Steinhardt([degree], components: degree, nearest: nearest, maxDegreeOfParallelism: maxDegreeOfParallelism, cores: cores);
    }

    public double Threshold { get; }

    public int MinimumBonds { get; }

    public int Degree { get; }

    /// <summary>Neighbours (the first k of each list) the q_l vectors are computed from; null for all.</summary>
    public int? Nearest { get; }

    /// <summary>
    /// Bonds and solid particles from one cutoff list (e.g. <c>WithinCutoff(rc)</c>): q_l vectors from the first
    /// <see cref="Nearest"/> entries of each particle's list, bonds over all of them.
    /// </summary>
    public SolidBondsResult Compute(NeighborList neighbors) => Compute(neighbors, neighbors);

    /// <summary>
    /// Bonds and solid particles, with the q_l vectors computed from <paramref name="orientationNeighbors"/> (its first
    /// <see cref="Nearest"/> entries) and bonds counted over <paramref name="bondNeighbors"/> (e.g. all within rc).
    /// </summary>
    public SolidBondsResult Compute(NeighborList orientationNeighbors, NeighborList bondNeighbors) =>
        Compute(_orientation.Compute(orientationNeighbors), bondNeighbors);

    /// <summary>
    /// Bonds and solid particles from q_l vectors already computed (a <see cref="Steinhardt"/> result that kept the
    /// components of <see cref="Degree"/>, averaged or not), counted over <paramref name="bondNeighbors"/>.
    /// </summary>
    public SolidBondsResult Compute(SteinhardtResult orientations, NeighborList bondNeighbors)
    {
        ArgumentNullException.ThrowIfNull(orientations);
        ArgumentNullException.ThrowIfNull(bondNeighbors);
        if (orientations.ComponentsDegree != Degree)
            throw new ArgumentException(
                $"solid bonds need the normalised q_{Degree} vectors; the Steinhardt result kept {(orientations.ComponentsDegree is { } c ? $"q_{c}" : "none")}",
                nameof(orientations));
        int n = bondNeighbors.Count;
        if (orientations.ParticleCount != n)
            throw new ArgumentException($"the bond list has {n} particles but the q_{Degree} vectors {orientations.ParticleCount}");

        int width = 2 * Degree + 1;
        // Interleaved (re, im) pairs: the product Re Σ a_m b_m* is then a plain dot product of 2(2l+1) doubles.
        var all = MemoryMarshal.Cast<Complex, double>(orientations.AllComponents);
        var bonds = new int[n];
        var solid = new bool[n];
        int solidCount = 0;
        for (int i = 0; i < n; i++)
        {
            var qi = all.Slice(2 * width * i, 2 * width);
            int count = 0;
            foreach (int j in bondNeighbors.Neighbors(i))
            {
                var qj = all.Slice(2 * width * j, 2 * width);
                double dot = 0;
                for (int k = 0; k < qi.Length; k++) dot += qi[k] * qj[k];
                if (dot > Threshold) count++;
            }
            bonds[i] = count;
            if (count >= MinimumBonds)
            {
                solid[i] = true;
                solidCount++;
            }
        }
        return new SolidBondsResult(bonds, solid, solidCount, orientations);
    }
}
