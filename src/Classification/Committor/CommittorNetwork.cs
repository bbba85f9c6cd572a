using StreamMonitor.Classification.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Committor;

/// <summary>
/// The trainable form of a committor network in TorchSharp (double precision): the layers of an
/// <see cref="MlpParameters"/> network as tensors that take gradients, logistic sigmoid between them, and the last layer's
/// output s left as it is: the trainer works with the logit s of p_B = σ(s) = ½ (1 + tanh(s/2)), whose log-likelihood
/// terms are softplus functions and so stay finite however sure the network is.
/// </summary>
internal sealed class CommittorNetwork : IDisposable
{
    private readonly Parameter[] _weights; // outputs × inputs, as DenseLayer and nn.Linear keep them
    private readonly Parameter[] _biases;

    public CommittorNetwork(IReadOnlyList<DenseLayer> layers)
    {
        _weights = layers.Select(l => nn.Parameter(tensor(l.Weights, [l.Outputs, l.Inputs], dtype: float64))).ToArray();
        _biases = layers.Select(l => nn.Parameter(tensor(l.Bias, dtype: float64))).ToArray();
    }

    public IEnumerable<Parameter> Parameters => _weights.Concat(_biases);

    /// <summary>The logits s (one per row) of standardised inputs <paramref name="z"/> (rows × inputs).</summary>
    public Tensor Logits(Tensor z)
    {
        var x = z;
        for (int l = 0; l < _weights.Length; l++)
        {
            x = nn.functional.linear(x, _weights[l], _biases[l]);
            if (l + 1 < _weights.Length) x = sigmoid(x);
        }
        return x.squeeze(1);
    }

    /// <summary>Σ w² over the weights; the biases are not penalised (they only place the transition).</summary>
    public Tensor WeightNorm()
    {
        var sum = _weights[0].square().sum();
        for (int l = 1; l < _weights.Length; l++) sum = sum + _weights[l].square().sum();
        return sum;
    }

    /// <summary>The current values, as the layers of an <see cref="MlpParameters"/> network.</summary>
    public DenseLayer[] Snapshot() => _weights.Zip(_biases, (w, b) => new DenseLayer(
        (int)w.shape[1], (int)w.shape[0], w.detach().data<double>().ToArray(), b.detach().data<double>().ToArray())).ToArray();

    public void Dispose()
    {
        foreach (var t in _weights) t.Dispose();
        foreach (var t in _biases) t.Dispose();
    }
}
