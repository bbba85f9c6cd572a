namespace StreamMonitor.Contracts.Audit;

/// <summary>The server's audit log (one grain, key <see cref="Key"/>): every registration, stop, removal and rule change.</summary>
public interface IAuditLogGrain : IGrainWithStringKey
{
    public const string Key = "audit";

    /// <summary>Records <paramref name="entry"/> under a sequence number above every earlier one and returns it as recorded.</summary>
    Task<AuditEntry> Record(AuditEntry entry);

    /// <summary>Entries after sequence number <paramref name="after"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> List(long after, int limit);
}
