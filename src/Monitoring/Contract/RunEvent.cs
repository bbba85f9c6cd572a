namespace StreamMonitor.Monitoring;

/// <summary>
/// Something that happened to a run: a detector fired (nucleation, melting, ...), the file changed under it, or the
/// run was stopped. Carries the frame and step where it happened and the numbers that triggered it.
/// </summary>
public sealed record RunEvent
{
    public required string RunId { get; init; }

    /// <summary>One of <see cref="RunEventKinds"/>.</summary>
    public required string Kind { get; init; }

    public long? Frame { get; init; }
    public long? Step { get; init; }
    public double? Time { get; init; }

    /// <summary>One human-readable line.</summary>
    public required string Message { get; init; }

    /// <summary>The quantities behind the event (e.g. n_max, threshold), by name.</summary>
    public IReadOnlyDictionary<string, double> Values { get; init; } = new Dictionary<string, double>();

    /// <summary>Extra text fields (e.g. basin name, previous polymorph, who stopped the run).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}
