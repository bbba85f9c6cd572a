namespace StreamMonitor.Contracts.Runs;

/// <summary>
/// Something that happened to a run: a detector fired (nucleation, melting, ...), the file changed under it, or the
/// run was stopped. Carries the frame and step where it happened and the numbers that triggered it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RunEvent
{
    [Id(0)] public required string RunId { get; init; }

    /// <summary>One of <see cref="RunEventKinds"/>.</summary>
    [Id(1)] public required string Kind { get; init; }

    [Id(2)] public long? Frame { get; init; }
    [Id(3)] public long? Step { get; init; }
    [Id(4)] public double? Time { get; init; }

    /// <summary>One human-readable line.</summary>
    [Id(5)] public required string Message { get; init; }

    /// <summary>The quantities behind the event (e.g. n_max, threshold), by name.</summary>
    [Id(6)] public IReadOnlyDictionary<string, double> Values { get; init; } = new Dictionary<string, double>();

    /// <summary>Extra text fields (e.g. basin name, previous polymorph, who stopped the run).</summary>
    [Id(7)] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    [Id(8)] public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}
