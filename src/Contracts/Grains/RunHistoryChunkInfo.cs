using StreamMonitor.Monitoring;

namespace StreamMonitor.Contracts.Grains;

/// <summary>
/// What one history chunk holds, without its updates: the sequences it spans, how many updates of each type, and the
/// steps they cover, so that reads skip chunks that have nothing for them.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RunHistoryChunkInfo
{
    /// <summary>An empty chunk.</summary>
    public static RunHistoryChunkInfo Empty { get; } = new();

    [Id(0)] public long FirstSequence { get; init; }
    [Id(1)] public long LastSequence { get; init; }
    [Id(2)] public int Count { get; init; }
    [Id(3)] public int Summaries { get; init; }
    [Id(4)] public int Events { get; init; }

    /// <summary>The lowest and highest step of the chunk's summaries and events (null when none has one).</summary>
    [Id(5)] public long? MinStep { get; init; }
    [Id(6)] public long? MaxStep { get; init; }

    /// <summary>The updates of <paramref name="type"/> (null: all) in the chunk.</summary>
    public int CountOf(string? type) => type switch
    {
        null => Count,
        RunUpdate.SummaryType => Summaries,
        RunUpdate.EventType => Events,
        _ => Count - Summaries - Events,
    };

    /// <summary>Whether the chunk may hold an update with a step in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public bool MayCover(long? from, long? to) =>
        MinStep is not { } min || MaxStep is not { } max || ((from is null || max >= from) && (to is null || min <= to));

    /// <summary>What <paramref name="updates"/> (in sequence order) come to.</summary>
    public static RunHistoryChunkInfo Of(IReadOnlyList<RunUpdate> updates)
    {
        if (updates.Count == 0) return Empty;
        int summaries = 0, events = 0;
        long? min = null, max = null;
        foreach (var update in updates)
        {
            if (update.Summary is not null) summaries++;
            else if (update.Event is not null) events++;
            if (StepOf(update) is { } step)
            {
                min = min is null ? step : Math.Min(min.Value, step);
                max = max is null ? step : Math.Max(max.Value, step);
            }
        }
        return new RunHistoryChunkInfo
        {
            FirstSequence = updates[0].Sequence,
            LastSequence = updates[^1].Sequence,
            Count = updates.Count,
            Summaries = summaries,
            Events = events,
            MinStep = min,
            MaxStep = max,
        };
    }

    /// <summary>The step a summary or event is at; null for a status change or an event without one.</summary>
    public static long? StepOf(RunUpdate update) => update.Summary?.Step ?? update.Event?.Step;
}
