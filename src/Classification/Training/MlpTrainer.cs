using StreamMonitor.Classification.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Training;

/// <summary>
/// Trains a softmax classifier with sigmoid hidden layers on a <see cref="Dataset"/>: inputs standardised with the
/// training rows' mean and standard deviation (stored in the model as its input scaling), cross-entropy loss, Adam,
/// mini-batches in a seeded shuffle, and early stopping on a stratified validation split that keeps the weights of the
/// epoch with the lowest validation loss.
/// </summary>
public sealed class MlpTrainer(TrainingOptions? options = null)
{
    private readonly TrainingOptions _options = options ?? new TrainingOptions();

    public ModelFile Train(Dataset data, string name, Action<TrainingEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        var (train, validation) = ClassifierFitting.Split(data, _options);
        var (translation, stretch) = Standardisation(train);

        torch.manual_seed(_options.Seed);
        using var noScope = NewDisposeScope();
        var widths = new List<int> { data.Width };
        widths.AddRange(_options.Hidden);
        widths.Add(data.Classes.Count);
        var linear = new List<nn.Module<Tensor, Tensor>>();
        for (int l = 0; l + 1 < widths.Count; l++) linear.Add(nn.Linear(widths[l], widths[l + 1]));

        Tensor Forward(Tensor x)
        {
            for (int l = 0; l < linear.Count; l++)
            {
                x = linear[l].forward(x);
                if (l + 1 < linear.Count) x = sigmoid(x);
            }
            return x;
        }

        DenseLayer[] best = [];
        var outcome = ClassifierFitting.Fit(_options, Forward, linear.SelectMany(m => m.parameters()),
            (Scaled(train, translation, stretch), ClassifierFitting.Labels(train)),
            (Scaled(validation, translation, stretch), ClassifierFitting.Labels(validation)),
            () => best = Snapshot(linear), progress, cancellationToken);
        foreach (var m in linear) m.Dispose();

        var network = new MlpParameters(translation, stretch, best, OutputActivation.Softmax);
        return ClassifierFitting.Model(name, data, network, outcome, train.Count, validation.Count, _options);
    }

    /// <summary>Per feature: translation = mean, stretch = 1/standard deviation (1 for a constant feature).</summary>
    internal static (double[] Translation, double[] Stretch) Standardisation(Dataset data)
    {
        int w = data.Width;
        var mean = new double[w];
        var stretch = new double[w];
        for (int r = 0; r < data.Count; r++)
            for (int i = 0; i < w; i++) mean[i] += data.Values[r * w + i];
        for (int i = 0; i < w; i++) mean[i] /= data.Count;
        for (int r = 0; r < data.Count; r++)
            for (int i = 0; i < w; i++) stretch[i] += Math.Pow(data.Values[r * w + i] - mean[i], 2);
        for (int i = 0; i < w; i++)
        {
            double sd = Math.Sqrt(stretch[i] / data.Count);
            stretch[i] = sd > 1e-12 ? 1 / sd : 1;
        }
        return (mean, stretch);
    }

    private static Tensor Scaled(Dataset data, double[] translation, double[] stretch)
    {
        int w = data.Width;
        var values = new float[data.Values.Length];
        for (int r = 0; r < data.Count; r++)
            for (int i = 0; i < w; i++)
                values[r * w + i] = (float)((data.Values[r * w + i] - translation[i]) * stretch[i]);
        return tensor(values, [data.Count, w], dtype: float32);
    }

    private static DenseLayer[] Snapshot(List<nn.Module<Tensor, Tensor>> linear) => linear.Select(m =>
    {
        var named = m.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var weight = named["weight"];
        var weights = weight.to_type(float64).data<double>().ToArray();
        var bias = named["bias"].to_type(float64).data<double>().ToArray();
        return new DenseLayer((int)weight.shape[1], (int)weight.shape[0], weights, bias);
    }).ToArray();
}
