using StreamMonitor.Contracts.Audit;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Grains.Storage;

namespace StreamMonitor.Grains.Audit;

/// <summary>
/// The audit log, persisted with the runs' state (SQLite embedded, Redis in a cluster). It keeps the newest
/// <see cref="MaxEntries"/>: actions on a server are rare next to frames, so that is months of a busy lab's history. It
/// is written at most once per <see cref="WritePeriod"/>, so that a campaign registering thousands of shots does not
/// rewrite the log once per shot; each action is also in its run's own events, persisted with the run.
/// </summary>
public sealed class AuditLogGrain(
    [PersistentState("audit", RunGrain.StorageName)] IPersistentState<AuditLogState> log) : Grain, IAuditLogGrain
{
    public const int MaxEntries = 10_000;

    public static readonly TimeSpan WritePeriod = TimeSpan.FromSeconds(1);

    private DeferredWrite? _write;

    private DeferredWrite Write => _write ??= new DeferredWrite(this, () => log.WriteStateAsync(), WritePeriod);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Write.FlushAsync();

    public Task<AuditEntry> Record(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        // Numbers grow with the clock as well as by one, so entries lost in a crash (the log is written once a second)
        // leave a gap rather than numbers that are given again, which a reader paging by "after" would skip.
        long next = Math.Max(log.State.LastSequence + 1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var recorded = entry with { Sequence = log.State.LastSequence = next };
        log.State.Entries.Add(recorded);
        if (log.State.Entries.Count > MaxEntries) log.State.Entries.RemoveRange(0, log.State.Entries.Count - MaxEntries);
        Write.Changed();
        return Task.FromResult(recorded);
    }

    public Task<IReadOnlyList<AuditEntry>> List(long after, int limit)
    {
        if (limit < 1) throw new ArgumentOutOfRangeException(nameof(limit), limit, "must be at least 1");
        var entries = log.State.Entries;
        int lo = SortedLists.FirstAfter(entries, e => e.Sequence <= after);
        return Task.FromResult<IReadOnlyList<AuditEntry>>(entries.GetRange(lo, Math.Min(limit, entries.Count - lo)).ToArray());
    }
}
