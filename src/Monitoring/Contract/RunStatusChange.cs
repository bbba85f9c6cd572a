namespace StreamMonitor.Monitoring;

/// <summary>A run moved to another <see cref="RunState"/>: why, on whose authority, and at which frame.</summary>
public sealed record RunStatusChange
{
    public required RunState State { get; init; }

    /// <summary>The state before; null for a run's first registration.</summary>
    public RunState? Previous { get; init; }

    /// <summary>One human-readable line, e.g. "the file has not grown for 10 min".</summary>
    public required string Reason { get; init; }

    /// <summary>Who caused it: a principal (<c>user:alice</c>, <c>key:ci</c>), a rule (<c>rule:nucleation</c>) or <c>server</c>.</summary>
    public required string By { get; init; }

    /// <summary>The address the request that caused it came from, when a person or a script over the network did.</summary>
    public string? From { get; init; }

    /// <summary>The last recorded frame at the change; null before the first.</summary>
    public long? Frame { get; init; }
}
