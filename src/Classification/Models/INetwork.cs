namespace StreamMonitor.Classification.Models;

/// <summary>An engine that evaluates a network on rows of features: TorchSharp (<see cref="MlpNetwork"/>) or ILGPU.</summary>
public interface INetwork : IDisposable
{
    int InputCount { get; }
    int OutputCount { get; }

    /// <summary>Writes rows × <see cref="OutputCount"/> outputs for rows × <see cref="InputCount"/> features (row-major).</summary>
    void Forward(ReadOnlySpan<double> features, Span<double> outputs);
}
