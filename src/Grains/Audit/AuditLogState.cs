using StreamMonitor.Contracts.Audit;

namespace StreamMonitor.Grains.Audit;

/// <summary>What the <see cref="AuditLogGrain"/> persists.</summary>
[GenerateSerializer]
public sealed class AuditLogState
{
    [Id(0)] public long LastSequence { get; set; }

    [Id(1)] public List<AuditEntry> Entries { get; set; } = [];
}
