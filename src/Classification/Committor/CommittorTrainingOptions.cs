namespace StreamMonitor.Classification.Committor;

/// <summary>
/// Settings of <see cref="CommittorTrainer"/>. The defaults suit a campaign's first few points (8 points of 10 shots)
/// up to a few thousand: a small network, full-batch Adam for a fixed number of epochs, and an L2 penalty on the weights
/// that keeps the committor smooth where the shots are few (no held-out split: with eight points there is nothing to
/// spare for one).
/// </summary>
public sealed record CommittorTrainingOptions
{
    /// <summary>Hidden layer widths (logistic sigmoid, as every <see cref="Models.MlpParameters"/> network).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [16, 16];

    /// <summary>Full-batch optimiser steps, for a first training and for each update alike.</summary>
    public int Epochs { get; init; } = 200;

    public double LearningRate { get; init; } = 0.04;

    /// <summary>
    /// α of the penalty α Σ w² over the weights (not the biases), added to the negative log-likelihood of all shots: a
    /// Gaussian prior on the weights, which counts for much with 80 shots and for little with thousands. Measured on
    /// synthetic committors: 0.1 keeps eight points of ten shots from overfitting, yet lets 600 shots learn a committor
    /// that depends on a product of two inputs; a fixed penalty per shot could not do both.
    /// </summary>
    public double WeightDecay { get; init; } = 0.1;

    /// <summary>Seeds the initial weights: the same seed and data give the same model.</summary>
    public int Seed { get; init; } = 1;

    public void Validate()
    {
        if (Hidden.Count == 0 || Hidden.Any(h => h < 1)) throw new ArgumentException($"hidden layer widths must be at least 1, got {string.Join(",", Hidden)}");
        if (Epochs < 1) throw new ArgumentException($"the number of epochs must be at least 1, got {Epochs}");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw new ArgumentException($"the learning rate must be positive, got {LearningRate}");
        if (!(WeightDecay >= 0 && double.IsFinite(WeightDecay))) throw new ArgumentException($"the weight decay must be zero or positive, got {WeightDecay}");
    }
}
