namespace StreamMonitor.Classification.Models;

/// <summary>
/// One fully connected layer: output o = bias[o] + Σ_i weights[o · inputs + i] · x[i] (weights row-major, one row per
/// output, the layout of torch.nn.Linear).
/// </summary>
public sealed record DenseLayer
{
    public DenseLayer(int inputs, int outputs, double[] weights, double[] bias)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if (weights.Length != inputs * outputs)
            throw new ArgumentException($"a {inputs} → {outputs} layer needs {inputs * outputs} weights, got {weights.Length}", nameof(weights));
        if (bias.Length != outputs) throw new ArgumentException($"a layer with {outputs} outputs needs {outputs} biases, got {bias.Length}", nameof(bias));
        if (!weights.All(double.IsFinite) || !bias.All(double.IsFinite)) throw new ArgumentException("weights and biases must be finite numbers");
        Inputs = inputs;
        Outputs = outputs;
        Weights = weights;
        Bias = bias;
    }

    public int Inputs { get; }
    public int Outputs { get; }

    /// <summary>outputs × inputs, row-major.</summary>
    public double[] Weights { get; }

    public double[] Bias { get; }
}
