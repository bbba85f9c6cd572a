using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using StreamMonitor.Contracts.Campaigns;
using StreamMonitor.Dashboard.Hosting;
using StreamMonitor.Dashboard.Security;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Dashboard.Api;

/// <summary>
/// The campaigns API: list, start (operator), read one with its shots, its analysis, cancel (operator). A campaign
/// started here names one of the server's launch commands (<c>"launch": {"name": ...}</c>); a command written into the
/// body is refused, as a registration cannot name its own stop command. Relative paths are taken from the server's first
/// data root.
/// </summary>
public static class CampaignsApi
{
    public static IEndpointRouteBuilder MapCampaignsApi(this IEndpointRouteBuilder app)
    {
        var campaigns = app.MapGroup("/api/campaigns").RequireAuthorization(Policies.Viewer);
        campaigns.MapGet("/", async (IGrainFactory grains) => Results.Ok(await grains.GetGrain<ICampaignRegistryGrain>(ICampaignRegistryGrain.Key).List()));
        campaigns.MapPost("/", async (HttpContext http, IGrainFactory grains, ServerOptions options) =>
        {
            string json;
            using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8))
                json = await reader.ReadToEndAsync(http.RequestAborted);
            CampaignDefinition definition;
            try
            {
                var parsed = CampaignFile.Parse(json, "body", options.Policy().Roots.Roots[0]);
                if (parsed.InlineLaunch is not null)
                    return RunsApi.BadRequest("body: launch: name one of the server's launch commands (\"launch\": {\"name\": ...}); a command cannot be given here");
                definition = parsed.Definition;
            }
            catch (Exception e) when (e is FormatException or FileNotFoundException)
            {
                return RunsApi.BadRequest(e.Message);
            }
            return await RunsApi.Refusals(async () =>
            {
                var status = await grains.GetGrain<ICampaignGrain>(definition.Id).Start(definition, http.Actor());
                return Results.Created(CampaignPath(definition.Id), status);
            });
        }).RequireAuthorization(Policies.Operator);
        campaigns.MapGet("/{id}", async (string id, IGrainFactory grains) =>
            await StatusOf(grains, id) is { } status ? Results.Ok(status) : Unknown(id));
        campaigns.MapGet("/{id}/analysis", async (string id, string? quantities, double? confidence, IGrainFactory grains) =>
        {
            if (await StatusOf(grains, id) is not { } status) return Unknown(id);
            try
            {
                var chosen = quantities?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                return Results.Ok(CampaignAnalysis.Of(status, chosen, confidence ?? 0.95));
            }
            catch (ArgumentException e)
            {
                return RunsApi.BadRequest(e.Message);
            }
        });
        campaigns.MapPost("/{id}/cancel", (string id, HttpContext http, IGrainFactory grains) =>
            RunsApi.Refusals(async () => RunIds.IsValid(id)
                ? Results.Ok(await grains.GetGrain<ICampaignGrain>(id).Cancel(http.Actor()))
                : Unknown(id))).RequireAuthorization(Policies.Operator);
        return app;
    }

    public static string CampaignPath(string id) => $"/api/campaigns/{Uri.EscapeDataString(id)}";

    private static async Task<CampaignStatus?> StatusOf(IGrainFactory grains, string id) =>
        RunIds.IsValid(id) ? await grains.GetGrain<ICampaignGrain>(id).GetStatus() : null;

    private static IResult Unknown(string id) => Results.NotFound(new { error = $"no campaign '{id}'" });
}
