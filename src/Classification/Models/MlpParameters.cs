namespace StreamMonitor.Classification.Models;

/// <summary>
/// Everything that defines a multilayer perceptron, independent of the engine that runs it (TorchSharp, ILGPU):
/// the input scaling x' = (x − translation) · stretch, the dense layers with sigmoid between them, and the output
/// activation.
/// </summary>
public sealed record MlpParameters : NetworkParameters
{
    public const string ArchName = "mlp";

    public MlpParameters(double[] inputTranslation, double[] inputStretch, IReadOnlyList<DenseLayer> layers, OutputActivation output)
    {
        if (layers.Count == 0) throw new ArgumentException("a network needs at least one layer", nameof(layers));
        int inputs = layers[0].Inputs;
        if (inputTranslation.Length != inputs || inputStretch.Length != inputs)
            throw new ArgumentException($"the input scaling has {inputTranslation.Length} translations and {inputStretch.Length} stretches for {inputs} inputs");
        if (!inputTranslation.All(double.IsFinite) || !inputStretch.All(double.IsFinite))
            throw new ArgumentException("the input scaling must be finite numbers");
        for (int i = 1; i < layers.Count; i++)
            if (layers[i].Inputs != layers[i - 1].Outputs)
                throw new ArgumentException($"layer {i + 1} takes {layers[i].Inputs} inputs but layer {i} gives {layers[i - 1].Outputs}");
        InputTranslation = inputTranslation;
        InputStretch = inputStretch;
        Layers = layers;
        Output = output;
    }

    public double[] InputTranslation { get; }
    public double[] InputStretch { get; }
    public IReadOnlyList<DenseLayer> Layers { get; }
    public override OutputActivation Output { get; }
    public override string Arch => ArchName;
    public override int InputCount => Layers[0].Inputs;
    public override int OutputCount => Layers[^1].Outputs;

    /// <summary>Input, hidden and output widths, e.g. 24 25 25 7.</summary>
    public IReadOnlyList<int> LayerSizes => [InputCount, .. Layers.Select(l => l.Outputs)];
}
