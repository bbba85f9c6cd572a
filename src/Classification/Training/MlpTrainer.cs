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
        _options.Validate();
        if (data.Classes.Count < 2) throw new ArgumentException($"training needs at least two classes, the dataset has {data.Classes.Count}");
        var counts = data.ClassCounts();
        for (int c = 0; c < counts.Length; c++)
            if (counts[c] < 2) throw new ArgumentException($"class '{data.Classes[c]}' has {counts[c]} rows; at least 2 are needed to train and validate");
        var (train, validation) = data.Split(_options.ValidationFraction, _options.Seed);
        var (translation, stretch) = Standardisation(train);

        torch.manual_seed(_options.Seed);
        using var noScope = NewDisposeScope();
        var widths = new List<int> { data.Width };
        widths.AddRange(_options.Hidden);
        widths.Add(data.Classes.Count);
        var linear = new List<nn.Module<Tensor, Tensor>>();
        for (int l = 0; l + 1 < widths.Count; l++) linear.Add(nn.Linear(widths[l], widths[l + 1]));
        var parameters = linear.SelectMany(m => m.parameters()).ToArray();
        using var optimizer = optim.Adam(parameters, _options.LearningRate);

        var trainX = Scaled(train, translation, stretch);
        var trainY = tensor(train.Labels.Select(l => (long)l).ToArray(), dtype: int64);
        var validX = Scaled(validation, translation, stretch);
        var validY = tensor(validation.Labels.Select(l => (long)l).ToArray(), dtype: int64);

        Tensor Forward(Tensor x)
        {
            for (int l = 0; l < linear.Count; l++)
            {
                x = linear[l].forward(x);
                if (l + 1 < linear.Count) x = sigmoid(x);
            }
            return x;
        }

        var shuffle = new Random(_options.Seed);
        var order = Enumerable.Range(0, train.Count).Select(i => (long)i).ToArray();
        double bestLoss = double.PositiveInfinity, bestAccuracy = 0;
        int bestEpoch = 0, epoch = 0;
        DenseLayer[] best = Snapshot(linear);
        while (epoch < _options.MaxEpochs && epoch - bestEpoch < _options.Patience)
        {
            cancellationToken.ThrowIfCancellationRequested();
            epoch++;
            shuffle.Shuffle(order);
            double lossSum = 0;
            for (int start = 0; start < order.Length; start += _options.BatchSize)
            {
                using var batchScope = NewDisposeScope();
                int size = Math.Min(_options.BatchSize, order.Length - start);
                var index = tensor(order.AsSpan(start, size).ToArray(), dtype: int64);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(Forward(trainX.index_select(0, index)), trainY.index_select(0, index));
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * size;
            }
            double validLoss, accuracy;
            using (no_grad())
            using (NewDisposeScope())
            {
                var logits = Forward(validX);
                validLoss = nn.functional.cross_entropy(logits, validY).item<float>();
                accuracy = logits.argmax(1).eq(validY).to_type(float64).mean().item<double>();
            }
            if (validLoss < bestLoss)
            {
                bestLoss = validLoss;
                bestAccuracy = accuracy;
                bestEpoch = epoch;
                best = Snapshot(linear);
            }
            progress?.Invoke(new TrainingEpoch(epoch, _options.MaxEpochs, lossSum / order.Length, validLoss, accuracy, bestEpoch));
        }
        foreach (var m in linear) m.Dispose();

        var network = new MlpParameters(translation, stretch, best, OutputActivation.Softmax);
        return new ModelFile(name, data.Classes, data.Features, network)
        {
            Training = new TrainingRecord
            {
                Created = DateTimeOffset.UtcNow,
                TrainingRows = train.Count,
                ValidationRows = validation.Count,
                Epochs = epoch,
                BestEpoch = bestEpoch,
                ValidationLoss = bestLoss,
                ValidationAccuracy = bestAccuracy,
                Seed = _options.Seed,
                LearningRate = _options.LearningRate,
                BatchSize = _options.BatchSize,
            },
        };
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
