using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Dashboard.Hosting;
using StreamMonitor.Dashboard.Security;

namespace StreamMonitor.Dashboard.Api;

/// <summary>
/// The HTTP API of the server: <c>GET /api/runs</c>, <c>POST /api/runs</c>, <c>GET /api/runs/{id}</c> (status, recent
/// summaries, events), <c>POST /api/runs/{id}/stop</c>. Bad registrations get 400 with the reason. Reading needs the
/// viewer role, stopping operator, registering admin.
/// </summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs").RequireAuthorization(Policies.Viewer);
        runs.MapGet("/", async (IGrainFactory grains) =>
        {
            var ids = await grains.GetGrain<IRunRegistryGrain>(IRunRegistryGrain.Key).List();
            var statuses = await Task.WhenAll(ids.Select(id => grains.GetGrain<IRunGrain>(id).GetStatus()));
            return Results.Ok(statuses);
        });
        runs.MapPost("/", async (RunRegistration body, RunRegistrar registrar) =>
        {
            try
            {
                return Results.Created($"/api/runs/{body.Id}", await registrar.RegisterAsync(body.Id, body.ToConfig()));
            }
            catch (Exception e) when (RunRegistrar.IsRefusal(e))
            {
                return Results.BadRequest(new { error = e.Message });
            }
        }).RequireAuthorization(Policies.Admin);
        runs.MapGet("/{id}", async (string id, IGrainFactory grains) =>
        {
            if (!await IsRegistered(grains, id)) return Results.NotFound(new { error = $"no run '{id}'" });
            var run = grains.GetGrain<IRunGrain>(id);
            return Results.Ok(new { status = await run.GetStatus(), summaries = await run.GetRecentSummaries(), events = await run.GetEvents() });
        });
        runs.MapPost("/{id}/stop", async (string id, IGrainFactory grains, HttpContext context) =>
        {
            if (!await IsRegistered(grains, id)) return Results.NotFound(new { error = $"no run '{id}'" });
            return Results.Ok(await grains.GetGrain<IRunGrain>(id).Stop(context.Actor().Name));
        }).RequireAuthorization(Policies.Operator);
        return app;
    }

    private static async Task<bool> IsRegistered(IGrainFactory grains, string id) =>
        (await grains.GetGrain<IRunRegistryGrain>(IRunRegistryGrain.Key).List()).Contains(id);
}
