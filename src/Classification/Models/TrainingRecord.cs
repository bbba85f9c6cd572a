namespace StreamMonitor.Classification.Models;

/// <summary>How a model came to be: where its weights come from and, for models trained here, on what and how.</summary>
public sealed record TrainingRecord
{
    /// <summary>Free text: the dataset file, or the publication and file the weights were imported from.</summary>
    public string? Source { get; init; }

    /// <summary>License of imported weights.</summary>
    public string? License { get; init; }

    public DateTimeOffset? Created { get; init; }
    public int? TrainingRows { get; init; }
    public int? ValidationRows { get; init; }
    public int? Epochs { get; init; }
    public int? BestEpoch { get; init; }
    public double? ValidationLoss { get; init; }
    public double? ValidationAccuracy { get; init; }
    public int? Seed { get; init; }
    public double? LearningRate { get; init; }

    /// <summary>How the learning rate moved: "cosine", or absent for a constant rate.</summary>
    public string? Schedule { get; init; }
    public int? BatchSize { get; init; }
}
