using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;

namespace StreamMonitor.Classification.Features;

/// <summary>
/// Computes <see cref="GraphFeatureSpec"/> rows: one per atom, in frame order. An atom without a neighbour in range is
/// undefined (its graph is a lone node).
/// </summary>
public sealed class GraphFeaturizer(GraphFeatureSpec spec, CoreBudget? cores = null) : IFeaturizer
{
    public FeatureSpec Spec => spec;

    public FeatureRows Compute(Frame frame)
    {
        AtomicFeaturizer.RequireCell(frame, spec);
        int n = frame.AtomCount, width = spec.Width;
        var types = frame.Types;
        var typeIndex = new int[n];
        for (int i = 0; i < n; i++) typeIndex[i] = TypeIndex(types[i], frame.Ids[i]);
        NeighborList neighbors;
        using (var query = NeighborQuery.FromFrame(frame, spec.Cutoff, cores)) neighbors = query.Nearest(spec.Neighbors, spec.Cutoff);
        var values = new double[n * width];
        var defined = new bool[n];
        for (int i = 0; i < n; i++)
        {
            var row = values.AsSpan(i * width, width);
            WriteNode(row, 0, typeIndex[i], own: true, 0, 0, 0);
            var index = neighbors.Neighbors(i);
            ReadOnlySpan<float> dx = neighbors.Dx(i), dy = neighbors.Dy(i), dz = neighbors.Dz(i);
            for (int k = 0; k < index.Length; k++) WriteNode(row, k + 1, typeIndex[index[k]], own: false, dx[k], dy[k], dz[k]);
            defined[i] = index.Length > 0;
        }
        return AtomicFeaturizer.Rows(frame, width, values, defined, neighbors);
    }

    /// <summary>Writes node <paramref name="node"/> of a row of <see cref="GraphFeatureSpec.NodeWidth"/>-wide nodes.</summary>
    internal static void WriteNode(Span<double> row, int node, int type, bool own, double dx, double dy, double dz)
    {
        var values = row.Slice(node * GraphFeatureSpec.NodeWidth, GraphFeatureSpec.NodeWidth);
        (values[0], values[1], values[2], values[3], values[4], values[5]) = (1, type, own ? 1 : 0, dx, dy, dz);
    }

    private int TypeIndex(int type, int id)
    {
        if (spec.Types == 1) return 0;
        if (type < 1 || type > spec.Types)
            throw new ArgumentException($"atom {id} has type {type}; the {spec.Kind} features embed types 1..{spec.Types}");
        return type - 1;
    }
}
