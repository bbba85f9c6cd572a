namespace StreamMonitor.Classification.Training;

/// <summary>Settings of <see cref="MlpTrainer"/>; the defaults train the shipped Lennard-Jones model.</summary>
public sealed record TrainingOptions
{
    /// <summary>Hidden layer widths (sigmoid), as in the published symmetry-function networks.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [25, 25];

    public double LearningRate { get; init; } = 3e-3;

    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;
    public int BatchSize { get; init; } = 256;
    public int MaxEpochs { get; init; } = 200;

    /// <summary>Stop after this many epochs without a lower validation loss; the best epoch's weights are kept.</summary>
    public int Patience { get; init; } = 15;

    /// <summary>Share of every class held out for early stopping.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Seeds the split, the shuffling and the initial weights: the same seed and data give the same model.</summary>
    public int Seed { get; init; } = 1;

    public void Validate()
    {
        if (Hidden.Count == 0 || Hidden.Any(h => h < 1)) throw new ArgumentException($"hidden layer widths must be at least 1, got {string.Join(",", Hidden)}");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw new ArgumentException($"the learning rate must be positive, got {LearningRate}");
        if (BatchSize < 1) throw new ArgumentException($"the batch size must be at least 1, got {BatchSize}");
        if (MaxEpochs < 1) throw new ArgumentException($"the epoch limit must be at least 1, got {MaxEpochs}");
        if (Patience < 1) throw new ArgumentException($"the patience must be at least 1, got {Patience}");
        if (!(ValidationFraction > 0 && ValidationFraction < 1)) throw new ArgumentException($"the validation fraction must be between 0 and 1, got {ValidationFraction}");
    }
}
