using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using StreamMonitor.Contracts.Audit;
using StreamMonitor.Dashboard.Security;

namespace StreamMonitor.Dashboard.Api;

/// <summary>
/// <c>GET /api/audit?after=SEQ&amp;limit=N</c> (operator): the audit log's entries after sequence number <c>after</c>
/// (default 0, the start), oldest first, at most <c>limit</c> (default 100, at most 1000). A client pages on by
/// passing the last entry's <c>sequence</c> as the next <c>after</c>. Entries are recorded by the runs' registrar
/// (<c>RunRegistrar</c>), the one path of registrations, stops and removals.
/// </summary>
public static class AuditApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", async (long? after, int? limit, IGrainFactory grains) =>
        {
            if (after is < 0) return Results.BadRequest(new { error = $"after must be 0 or a sequence number, got {after}" });
            if (limit is < 1 or > MaxLimit) return Results.BadRequest(new { error = $"limit must be 1..{MaxLimit}, got {limit}" });
            return Results.Ok(await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.Key).List(after ?? 0, limit ?? DefaultLimit));
        }).RequireAuthorization(Policies.Operator);
        return app;
    }
}
