using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.OrderParameters;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;

namespace StreamMonitor.Classification.Features;

/// <summary>Computes <see cref="AtomicFeatureSpec"/> rows: one per atom, in frame order.</summary>
public sealed class AtomicFeaturizer : IFeaturizer
{
    private readonly AtomicFeatureSpec _spec;
    private readonly Steinhardt _steinhardt;
    private readonly CoreBudget? _cores;

    /// <param name="cores">The budget the neighbour and Steinhardt loops borrow from; null for <see cref="CoreBudget.Shared"/>.</param>
    /// <param name="singlePrecision">
    /// Sum the spherical harmonics and the averages in single precision (<see cref="Steinhardt"/>'s option): twice the
    /// SIMD lanes, and features within about 1e-6 of the double-precision ones, which no network tells apart. False gives
    /// the double-precision features the device kernels are checked against.
    /// </param>
    public AtomicFeaturizer(AtomicFeatureSpec spec, CoreBudget? cores = null, bool singlePrecision = true)
    {
        _spec = spec;
        _cores = cores;
        _steinhardt = new Steinhardt(spec.Degrees, average: spec.Average, wl: spec.WlDegrees.Count > 0, cores: cores,
            singlePrecision: singlePrecision);
    }

    public FeatureSpec Spec => _spec;

    public FeatureRows Compute(Frame frame)
    {
        RequireCell(frame, _spec);
        // In cell order: each atom's neighbours, and their q_lm that the averaging reads, lie near it in memory.
        NeighborList neighbors;
        using (var query = NeighborQuery.FromFrame(frame, _spec.Cutoff, _cores)) neighbors = query.WithinCutoffInCellOrder(_spec.Cutoff);
        using var order = _steinhardt.Compute(neighbors); // copied into the rows: its arrays go back to the pool
        int n = frame.AtomCount, width = _spec.Width;
        var values = GC.AllocateUninitializedArray<double>(n * width);
        var defined = new bool[n];
        // Scattered into frame order a chunk at a time, every column of a chunk while its rows are still in the cache.
        int chunks = (n + RowChunk - 1) / RowChunk;
        (_cores ?? CoreBudget.Shared).For(chunks, chunk =>
        {
            int from = chunk * RowChunk, to = Math.Min(n, from + RowChunk);
            var atomAt = neighbors.Order[from..to];
            int column = 0;
            foreach (int l in _spec.Degrees) Fill(values, width, column++, order.Ql(l)[from..to], atomAt);
            foreach (int l in _spec.WlDegrees) Fill(values, width, column++, order.WlHat(l)[from..to], atomAt);
            if (_spec.Coordination)
                for (int p = from; p < to; p++) values[atomAt[p - from] * width + column] = neighbors.CountOf(p);
            var isDefined = order.Defined[from..to];
            for (int p = 0; p < atomAt.Length; p++) defined[atomAt[p]] = isDefined[p];
        });
        return Rows(frame, width, values, defined, neighbors);
    }

    private const int RowChunk = 16384;

    /// <summary>Per-atom features need the periodic cell (the neighbour search wraps into it).</summary>
    internal static void RequireCell(Frame frame, FeatureSpec spec)
    {
        if (!frame.Box.HasCell) throw new ArgumentException($"frame {frame.Index} has no periodic cell; the {spec.Kind} features need one");
    }

    /// <summary>
    /// One row per atom of the frame, in frame order, with the neighbour list the features came from (in frame order, or
    /// in another order with <see cref="NeighborList.Order"/> saying which atom each of its rows is).
    /// </summary>
    internal static FeatureRows Rows(Frame frame, int width, double[] values, bool[] defined, NeighborList neighbors)
    {
        var atoms = new int[frame.AtomCount];
        for (int i = 0; i < atoms.Length; i++) atoms[i] = i;
        return new FeatureRows(width, values, frame.Ids.ToArray(), atoms, defined) { Neighbors = neighbors };
    }

    /// <summary>One feature's column: the value at position p of <paramref name="source"/> is atom <paramref name="atomAt"/>[p]'s.</summary>
    private static void Fill(double[] values, int width, int column, ReadOnlySpan<double> source, ReadOnlySpan<int> atomAt)
    {
        for (int p = 0; p < source.Length; p++) values[atomAt[p] * width + column] = source[p];
    }
}
