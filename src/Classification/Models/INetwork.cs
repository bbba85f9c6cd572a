namespace StreamMonitor.Classification.Models;

/// <summary>An engine that evaluates a network on rows of features: TorchSharp (<see cref="MlpNetwork"/>, <see cref="GnnNetwork"/>) or ILGPU.</summary>
public interface INetwork : IDisposable
{
    int InputCount { get; }
    int OutputCount { get; }

    /// <summary>Writes rows × <see cref="OutputCount"/> outputs for rows × <see cref="InputCount"/> features (row-major).</summary>
    void Forward(ReadOnlySpan<double> features, Span<double> outputs);

    /// <summary>
    /// The outputs of the rows of several inputs taken one after the other, as if concatenated (the micro-batcher's
    /// requests). This default copies them into one array; an engine that can read them in place overrides it.
    /// </summary>
    void Forward(IReadOnlyList<ReadOnlyMemory<double>> features, Span<double> outputs)
    {
        var all = new double[features.Sum(f => f.Length)];
        int at = 0;
        foreach (var segment in features)
        {
            segment.Span.CopyTo(all.AsSpan(at));
            at += segment.Length;
        }
        Forward(all, outputs);
    }
}
