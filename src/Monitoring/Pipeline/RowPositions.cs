using StreamMonitor.Classification.Features;
using StreamMonitor.Core;

namespace StreamMonitor.Monitoring.Pipeline;

/// <summary>
/// Where each classified row of a frame sits, for clustering and profiles: atomic rows are the frame's atoms in order, so
/// the frame's own arrays serve without a copy; molecular rows sit at their center atoms, gathered once per frame.
/// </summary>
internal readonly ref struct RowPositions
{
    private RowPositions(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public ReadOnlySpan<float> X { get; }

    public ReadOnlySpan<float> Y { get; }

    public ReadOnlySpan<float> Z { get; }

    public static RowPositions Of(Frame frame, FeatureRows rows)
    {
        if (rows.Neighbors is not null) return new RowPositions(frame.X, frame.Y, frame.Z);
        var x = new float[rows.Count];
        var y = new float[rows.Count];
        var z = new float[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            x[r] = frame.X[rows.Atoms[r]];
            y[r] = frame.Y[rows.Atoms[r]];
            z[r] = frame.Z[rows.Atoms[r]];
        }
        return new RowPositions(x, y, z);
    }
}
