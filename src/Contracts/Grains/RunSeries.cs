using StreamMonitor.Monitoring;

namespace StreamMonitor.Contracts.Grains;

/// <summary>
/// A run's summaries for a chart (<c>GET /api/runs/{id}/series</c>, the contract's <c>run_series</c>): all of them, or,
/// when there are more than the query's budget, the ones that hold each plotted quantity's minimum and maximum in each of
/// a number of buckets, so that no spike is lost; and all the run's events. Complete up to <see cref="LastSequence"/>,
/// from where a chart follows the run's stream.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RunSeries
{
    [Id(0)] public required string RunId { get; init; }

    /// <summary>The highest sequence (of any type of update) the answer covers.</summary>
    [Id(1)] public long LastSequence { get; init; }

    /// <summary>Summaries in the range asked for, before downsampling.</summary>
    [Id(2)] public long TotalSummaries { get; init; }

    /// <summary>Whether <see cref="Updates"/> holds fewer than <see cref="TotalSummaries"/>.</summary>
    [Id(3)] public bool Downsampled { get; init; }

    /// <summary>Summary updates in sequence order.</summary>
    [Id(4)] public required IReadOnlyList<RunUpdate> Updates { get; init; }

    /// <summary>Event updates in sequence order, never downsampled.</summary>
    [Id(5)] public required IReadOnlyList<RunUpdate> Events { get; init; }
}
