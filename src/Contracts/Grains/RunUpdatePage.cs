using StreamMonitor.Monitoring;

namespace StreamMonitor.Contracts.Grains;

/// <summary>
/// A run's kept updates after a sequence number: what a consumer that joins late (or missed some) reads before following
/// the run's stream. Updates older than <see cref="FirstKept"/> are no longer kept: a cursor below it has a gap, which
/// <see cref="Missed"/> counts.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RunUpdatePage
{
    [Id(0)] public required IReadOnlyList<RunUpdate> Updates { get; init; }

    /// <summary>The oldest update the run still keeps (0 when it keeps none).</summary>
    [Id(1)] public long FirstKept { get; init; }

    /// <summary>The run's last update so far.</summary>
    [Id(2)] public long LastSequence { get; init; }

    /// <summary>Updates after the cursor the run no longer keeps.</summary>
    [Id(3)] public long Missed { get; init; }
}
