namespace StreamMonitor.Contracts.Audit;

/// <summary>
/// One action taken on the server — a run registered, stopped, removed or purged, a rule changed — with who took it,
/// from where, when, and whether it went through. Served by <c>GET /api/audit</c>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AuditEntry
{
    /// <summary>Orders the log's entries (increasing, not dense); set by the log when it records the entry. Page with it.</summary>
    [Id(0)] public long Sequence { get; init; }

    [Id(1)] public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The principal (<c>user:alice</c>, <c>key:ci</c>, <c>local</c>, <c>server</c>).</summary>
    [Id(2)] public required string By { get; init; }

    /// <summary>The client's address, when the action came over the network.</summary>
    [Id(3)] public string? From { get; init; }

    /// <summary>What was done: one of <see cref="AuditActions"/>.</summary>
    [Id(4)] public required string Action { get; init; }

    /// <summary>What it was done to, e.g. a run id.</summary>
    [Id(5)] public required string Target { get; init; }

    /// <summary>One line of detail (the trajectory registered, the stop's outcome, the reason for a refusal).</summary>
    [Id(6)] public string? Detail { get; init; }

    /// <summary>Whether the action went through (a refused registration or a failed stop is recorded too).</summary>
    [Id(7)] public bool Succeeded { get; init; } = true;
}
