using TorchSharp;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// The symmetry-function classifier of Kuroshima et al. (JCTC 2024) in TorchSharp: scaled inputs, sigmoid hidden
/// layers, sigmoid or softmax outputs, in double precision so the published networks are reproduced to 1e-6 and
/// better. A molecule belongs to class k when output k alone exceeds ½; otherwise it is
/// undefined.
/// </summary>
public sealed class SymmetryFunctionMlp : IDisposable
{
    public const int Undefined = -1;

    private readonly Tensor _translation;
    private readonly Tensor _stretch;
    private readonly Tensor[] _weights;
    private readonly Tensor[] _biases;
    private readonly bool _softmax;

    public SymmetryFunctionMlp(ReferenceWeightFile file, Device? device = null)
    {
        Device = device ?? CPU;
        InputCount = file.InputCount;
        OutputCount = file.OutputCount;
        _softmax = file.SoftmaxOutput;
        _translation = tensor(file.InputTranslation, dtype: float64, device: Device);
        _stretch = tensor(file.InputStretch, dtype: float64, device: Device);
        _weights = file.Weights.Select(w => tensor(w, dtype: float64, device: Device)).ToArray();
        _biases = file.Biases.Select(b => tensor(b, dtype: float64, device: Device)).ToArray();
    }

    public Device Device { get; }
    public int InputCount { get; }
    public int OutputCount { get; }

    /// <summary>Outputs for each row of <paramref name="features"/> (rows × <see cref="InputCount"/>, row-major).</summary>
    public double[] Forward(ReadOnlySpan<double> features)
    {
        if (features.Length % InputCount != 0)
            throw new ArgumentException($"features hold {features.Length} values, not a whole number of rows of {InputCount}");
        int rows = features.Length / InputCount;
        if (rows == 0) return [];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = tensor(features.ToArray(), [rows, InputCount], dtype: float64).to(Device);
        x = (x - _translation) * _stretch;
        for (int layer = 0; layer < _weights.Length; layer++)
        {
            x = nn.functional.linear(x, _weights[layer], _biases[layer]);
            x = layer + 1 < _weights.Length || !_softmax ? sigmoid(x) : softmax(x, 1);
        }
        return x.cpu().data<double>().ToArray();
    }

    /// <summary>The class of each row: the single output above ½, or <see cref="Undefined"/>.</summary>
    public int[] Classify(ReadOnlySpan<double> features)
    {
        var outputs = Forward(features);
        var classes = new int[outputs.Length / OutputCount];
        for (int r = 0; r < classes.Length; r++)
        {
            int winner = Undefined, above = 0;
            for (int k = 0; k < OutputCount; k++)
                if (outputs[r * OutputCount + k] > 0.5) { winner = k; above++; }
            classes[r] = above == 1 ? winner : Undefined;
        }
        return classes;
    }

    public void Dispose()
    {
        _translation.Dispose();
        _stretch.Dispose();
        foreach (var t in _weights) t.Dispose();
        foreach (var t in _biases) t.Dispose();
    }
}
