using StreamMonitor.Contracts.Audit;
using StreamMonitor.Grains.Runs;

namespace StreamMonitor.Grains.Audit;

/// <summary>
/// The audit log, persisted with the runs' state (SQLite embedded, Redis in a cluster). It keeps the newest
/// <see cref="MaxEntries"/>: actions on a server are rare next to frames, so that is months of a busy lab's history.
/// </summary>
public sealed class AuditLogGrain(
    [PersistentState("audit", RunGrain.StorageName)] IPersistentState<AuditLogState> log) : Grain, IAuditLogGrain
{
    public const int MaxEntries = 10_000;

    public async Task<AuditEntry> Record(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var recorded = entry with { Sequence = ++log.State.LastSequence };
        log.State.Entries.Add(recorded);
        if (log.State.Entries.Count > MaxEntries) log.State.Entries.RemoveRange(0, log.State.Entries.Count - MaxEntries);
        await log.WriteStateAsync();
        return recorded;
    }

    public Task<IReadOnlyList<AuditEntry>> List(long after, int limit)
    {
        if (limit < 1) throw new ArgumentOutOfRangeException(nameof(limit), limit, "must be at least 1");
        var entries = log.State.Entries;
        // Entries are in sequence order: find the first after the cursor by binary search, not a scan of the log.
        int lo = 0, hi = entries.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (entries[mid].Sequence <= after) lo = mid + 1;
            else hi = mid;
        }
        return Task.FromResult<IReadOnlyList<AuditEntry>>(entries.GetRange(lo, Math.Min(limit, entries.Count - lo)).ToArray());
    }
}
