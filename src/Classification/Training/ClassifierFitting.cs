using StreamMonitor.Classification.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Training;

/// <summary>
/// What every classifier trainer here does around its network (<see cref="MlpTrainer"/>, <see cref="GnnTrainer"/>):
/// the checks on the dataset, the stratified validation split, and the epochs of Adam (at a constant or cosine-decaying
/// learning rate) on cross-entropy in mini-batches of a seeded shuffle, with early stopping that keeps the epoch of the
/// lowest validation loss.
/// </summary>
internal static class ClassifierFitting
{
    /// <summary>How the epochs went: how many ran, and the best one with its validation loss and accuracy.</summary>
    public sealed record Outcome(int Epochs, int BestEpoch, double ValidationLoss, double ValidationAccuracy);

    /// <summary>Checks that every class can be trained and validated, and splits the data.</summary>
    public static (Dataset Train, Dataset Validation) Split(Dataset data, TrainingOptions options)
    {
        options.Validate();
        if (data.Classes.Count < 2) throw new ArgumentException($"training needs at least two classes, the dataset has {data.Classes.Count}");
        var counts = data.ClassCounts();
        for (int c = 0; c < counts.Length; c++)
            if (counts[c] < 2) throw new ArgumentException($"class '{data.Classes[c]}' has {counts[c]} rows; at least 2 are needed to train and validate");
        return data.Split(options.ValidationFraction, options.Seed);
    }

    /// <summary>The class indices of the rows, as cross-entropy takes them.</summary>
    public static Tensor Labels(Dataset data) => tensor(data.Labels.Select(l => (long)l).ToArray(), dtype: int64);

    /// <summary>
    /// Trains <paramref name="parameters"/> through <paramref name="forward"/> (rows to logits) and calls
    /// <paramref name="keepBest"/> after each epoch that lowers the validation loss.
    /// </summary>
    /// <param name="validationChunk">Validation rows per forward pass (a graph network's passes are large).</param>
    public static Outcome Fit(TrainingOptions options, Func<Tensor, Tensor> forward, IEnumerable<Parameter> parameters,
        (Tensor X, Tensor Y) train, (Tensor X, Tensor Y) validation, Action keepBest, Action<TrainingEpoch>? progress,
        CancellationToken cancellationToken, int validationChunk = int.MaxValue)
    {
        using var optimizer = optim.Adam(parameters, options.LearningRate);
        var schedule = options.Schedule == LearningRateSchedule.Cosine
            ? optim.lr_scheduler.CosineAnnealingLR(optimizer, options.MaxEpochs, options.LearningRate / 100)
            : null;
        var shuffle = new Random(options.Seed);
        var order = Enumerable.Range(0, (int)train.Y.shape[0]).Select(i => (long)i).ToArray();
        long validationRows = validation.Y.shape[0];
        double bestLoss = double.PositiveInfinity, bestAccuracy = 0;
        int bestEpoch = 0, epoch = 0;
        keepBest();
        while (epoch < options.MaxEpochs && epoch - bestEpoch < options.Patience)
        {
            cancellationToken.ThrowIfCancellationRequested();
            epoch++;
            shuffle.Shuffle(order);
            double lossSum = 0;
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                using var batchScope = NewDisposeScope();
                int size = Math.Min(options.BatchSize, order.Length - start);
                var index = tensor(order.AsSpan(start, size).ToArray(), dtype: int64);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(forward(train.X.index_select(0, index)), train.Y.index_select(0, index));
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * size;
            }
            double validLoss = 0, correct = 0;
            using (no_grad())
                for (long start = 0; start < validationRows; start += validationChunk)
                {
                    using var chunkScope = NewDisposeScope();
                    long size = Math.Min(validationChunk, validationRows - start);
                    var y = validation.Y.narrow(0, start, size);
                    var logits = forward(validation.X.narrow(0, start, size));
                    validLoss += nn.functional.cross_entropy(logits, y).item<float>() * ((double)size / validationRows);
                    correct += logits.argmax(1).eq(y).sum().item<long>();
                }
            double rate = optimizer.ParamGroups.First().LearningRate;
            schedule?.step();
            double accuracy = correct / validationRows;
            if (validLoss < bestLoss)
            {
                bestLoss = validLoss;
                bestAccuracy = accuracy;
                bestEpoch = epoch;
                keepBest();
            }
            progress?.Invoke(new TrainingEpoch(epoch, options.MaxEpochs, lossSum / order.Length, validLoss, accuracy, bestEpoch, rate));
        }
        return new Outcome(epoch, bestEpoch, bestLoss, bestAccuracy);
    }

    /// <summary>The model file of a trained network, with the record of how it was trained.</summary>
    public static ModelFile Model(string name, Dataset data, NetworkParameters network, Outcome outcome, int trainRows, int validationRows,
        TrainingOptions options) => new(name, data.Classes, data.Features, network)
    {
        Training = new TrainingRecord
        {
            Created = DateTimeOffset.UtcNow,
            TrainingRows = trainRows,
            ValidationRows = validationRows,
            Epochs = outcome.Epochs,
            BestEpoch = outcome.BestEpoch,
            ValidationLoss = outcome.ValidationLoss,
            ValidationAccuracy = outcome.ValidationAccuracy,
            Seed = options.Seed,
            LearningRate = options.LearningRate,
            Schedule = options.Schedule == LearningRateSchedule.Cosine ? "cosine" : null,
            BatchSize = options.BatchSize,
        },
    };
}
