namespace StreamMonitor.Contracts.Grains;

/// <summary>What a chart asks of a run's history: a budget of points, and optionally a range of steps to zoom into.</summary>
[GenerateSerializer, Immutable]
public sealed record RunSeriesQuery
{
    public const int DefaultPoints = 2000;
    public const int MaxPoints = 20_000;

    /// <summary>The most summaries the answer holds.</summary>
    [Id(0)] public int Points { get; init; } = DefaultPoints;

    /// <summary>Only summaries (and events) at this step or later.</summary>
    [Id(1)] public long? FromStep { get; init; }

    /// <summary>Only summaries (and events) at this step or earlier.</summary>
    [Id(2)] public long? ToStep { get; init; }

    /// <summary>What is wrong with the query, naming the parameter, or null when nothing is.</summary>
    public string? Problem() =>
        Points is < 1 or > MaxPoints ? $"points must be 1 to {MaxPoints}, got {Points}"
        : FromStep > ToStep ? $"from_step ({FromStep}) must not be after to_step ({ToStep})"
        : null;

    /// <summary>Whether <paramref name="step"/> is in the range (a missing step is in no range, but in the whole run).</summary>
    public bool Covers(long? step) =>
        step is { } s ? (FromStep is null || s >= FromStep) && (ToStep is null || s <= ToStep) : FromStep is null && ToStep is null;
}
