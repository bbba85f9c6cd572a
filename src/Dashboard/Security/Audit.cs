using StreamMonitor.Contracts.Audit;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Dashboard.Security;

/// <summary>
/// The server's audit log as endpoints use it: record what a caller did (<c>audit.RecordAsync(context.Actor(),
/// AuditActions.Stop, id, outcome)</c>) and page through it (<c>GET /api/audit</c>).
/// </summary>
public sealed class Audit(IGrainFactory grains)
{
    private IAuditLogGrain Log => grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.Key);

    /// <summary>Records that <paramref name="actor"/> did <paramref name="action"/> (an <see cref="AuditActions"/> name) to <paramref name="target"/>.</summary>
    public Task<AuditEntry> RecordAsync(Actor actor, string action, string target, string? detail = null, bool succeeded = true) =>
        Log.Record(new AuditEntry
        {
            By = actor.Name,
            From = actor.Address,
            Action = action,
            Target = target,
            Detail = detail,
            Succeeded = succeeded,
        });

    /// <summary>Entries after sequence number <paramref name="after"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<AuditEntry>> ListAsync(long after, int limit) => Log.List(after, limit);
}
