using StreamMonitor.Monitoring;

namespace StreamMonitor.Contracts.Grains;

/// <summary>
/// A page of a run's history (<see cref="IRunHistoryGrain.Read"/>): the updates found after the cursor, and how far the
/// read looked (a page of one type may be empty yet have scanned on), so the next read starts at <see cref="ScannedTo"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RunHistoryPage
{
    [Id(0)] public required IReadOnlyList<RunUpdate> Updates { get; init; }

    /// <summary>The sequence up to which the history was read: the cursor of the next page.</summary>
    [Id(1)] public long ScannedTo { get; init; }

    /// <summary>The last sequence the history holds; the read is done once <see cref="ScannedTo"/> reaches it.</summary>
    [Id(2)] public long LastSequence { get; init; }

    public bool IsLast => ScannedTo >= LastSequence;
}
