using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Dashboard.Security;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Events;

namespace StreamMonitor.Dashboard.Api;

/// <summary>
/// The runs API: list (paged, from the registry), register, read one run and its updates, stop, remove. Reading needs
/// the viewer role, stopping operator, registering and removing admin. Refusals are JSON <c>{"error": ...}</c>: 400 for a
/// bad request, 404 for an unknown run, 409 for a conflict (a run registered with another configuration, a stop of a
/// run that has ended); 401 and 403 come from the authorization in front.
/// </summary>
public static class RunsApi
{
    /// <summary>Runs per page when a listing does not say.</summary>
    public const int DefaultPage = 100;

    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs").RequireAuthorization(Policies.Viewer);
        runs.MapGet("/", async (IGrainFactory grains, string? state, int? limit, string? after) =>
        {
            RunState? only = null;
            if (state is not null)
            {
                if (!RunStates.TryParse(state, out var parsed)) return BadRequest($"state '{state}' is not one of {string.Join(", ", RunStates.Names)}");
                only = parsed;
            }
            if (limit is < 1 or > IRunRegistryGrain.MaxPage) return BadRequest($"limit must be 1 to {IRunRegistryGrain.MaxPage}");
            return Results.Ok(await Registry(grains).List(only, after, limit ?? DefaultPage));
        });
        runs.MapPost("/", async (HttpContext http, RunRegistrar registrar) =>
        {
            RunRegistration body;
            try
            {
                using var json = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
                body = RunRegistration.Parse(json.RootElement, "body");
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                return BadRequest(e is JsonException ? $"body: not JSON ({e.Message})" : e.Message);
            }
            return await Refusals(async () =>
            {
                var status = await registrar.RegisterAsync(body.Id, body.ToConfig(), http.Actor());
                return Results.Created(RunPath(body.Id), status);
            });
        }).RequireAuthorization(Policies.Admin);
        runs.MapGet("/{id}", async (string id, IGrainFactory grains) =>
        {
            if (!await IsRegistered(grains, id)) return UnknownRun(id);
            var run = grains.GetGrain<IRunGrain>(id);
            var status = await run.GetStatus();
            // The rules in effect (the run's own or the defaults), so the dashboard draws the thresholds the detectors use.
            var rules = status.Config?.RulesJson is { } json ? EventRules.Parse(json, "rules") : EventRules.Default;
            return Results.Ok(new { status, summaries = await run.GetRecentSummaries(), events = await run.GetEvents(), rules });
        });
        runs.MapGet("/{id}/updates", async (string id, long? after, int? limit, IGrainFactory grains) =>
        {
            if (!await IsRegistered(grains, id)) return UnknownRun(id);
            if (after is < 0) return BadRequest($"after must be 0 or a sequence number, got {after}");
            if (limit is < 1 or > IRunRegistryGrain.MaxPage) return BadRequest($"limit must be 1 to {IRunRegistryGrain.MaxPage}");
            return Results.Ok(await grains.GetGrain<IRunGrain>(id).GetUpdates(after ?? 0, limit ?? IRunRegistryGrain.MaxPage));
        });
        runs.MapPost("/{id}/stop", (string id, HttpContext http, RunRegistrar registrar) =>
            Refusals(async () => Results.Ok(await registrar.StopAsync(id, http.Actor())))).RequireAuthorization(Policies.Operator);
        runs.MapDelete("/{id}", (string id, bool? purge, HttpContext http, RunRegistrar registrar) =>
            Refusals(async () => Results.Ok(await registrar.RemoveAsync(id, http.Actor(), purge ?? false)))).RequireAuthorization(Policies.Admin);
        return app;
    }

    /// <summary>The path of a run's resource, its id escaped.</summary>
    public static string RunPath(string id) => $"/api/runs/{Uri.EscapeDataString(id)}";

    /// <summary>A refusal of the registrar as the status code it stands for.</summary>
    internal static async Task<IResult> Refusals(Func<Task<IResult>> act)
    {
        try
        {
            return await act();
        }
        catch (KeyNotFoundException e)
        {
            return Results.NotFound(new { error = e.Message });
        }
        catch (RunConflictException e)
        {
            return Results.Conflict(new { error = e.Message });
        }
        catch (Exception e) when (RunRegistrar.IsRefusal(e))
        {
            return BadRequest(e.Message);
        }
    }

    internal static IResult BadRequest(string message) => Results.BadRequest(new { error = message });

    internal static IResult UnknownRun(string id) => Results.NotFound(new { error = $"no run '{id}'" });

    private static IRunRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<IRunRegistryGrain>(IRunRegistryGrain.Key);

    internal static async Task<bool> IsRegistered(IGrainFactory grains, string id) => RunIds.IsValid(id) && await Registry(grains).Get(id) is not null;
}
