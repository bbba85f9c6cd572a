using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using StreamMonitor.Contracts.Alerts;
using StreamMonitor.Dashboard.Security;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Alerts;

namespace StreamMonitor.Dashboard.Api;

/// <summary>
/// The alerts API, served by the alert engine (<see cref="IAlertEngineGrain"/>): rules (read: viewer; create, replace,
/// delete: admin), alerts newest first (viewer), acknowledging and snoozing (operator), and the webhook delivery log
/// (admin). An alert id is <c>{rule}/{run}/{occurrence}</c>, so its actions are at
/// <c>/api/alerts/{rule}/{run}/{occurrence}/ack</c> (or with the id escaped as one segment). Refusals are JSON
/// <c>{"error": ...}</c>: 400 naming each bad field, 404 for an unknown rule or alert, 409 for an alert acknowledged already.
/// </summary>
public static class AlertsApi
{
    public const int DefaultLimit = 100;

    /// <summary>The contract's reading, refusing fields a rule does not have (a misspelt field would otherwise be ignored).</summary>
    private static readonly JsonSerializerOptions RuleJson = new(ContractJson.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/alerts").RequireAuthorization(Policies.Viewer);
        alerts.MapGet("/rules", async (IGrainFactory grains) => Results.Ok(await Engine(grains).GetRules()));
        alerts.MapPut("/rules/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            var (body, error) = await ReadAsync(http);
            if (error is not null) return error;
            if (body is not JsonObject rule) return BadRequest("body: expected a rule object");
            if (rule["id"] is { } given && given.GetValueKind() == JsonValueKind.String && given.GetValue<string>() != id)
                return BadRequest($"id: the body's '{given}' differs from the path's '{id}'");
            rule["id"] = id;
            AlertRule parsed;
            try
            {
                parsed = rule.Deserialize<AlertRule>(RuleJson) ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                return BadRequest($"rule '{id}': {FieldOf(e)}");
            }
            return await Refusals(async () => Results.Ok(await Engine(grains).PutRule(parsed, http.Actor())));
        }).RequireAuthorization(Policies.Admin);
        alerts.MapDelete("/rules/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
            await Engine(grains).DeleteRule(id, http.Actor()) ? Results.NoContent() : Results.NotFound(new { error = $"no rule '{id}'" }))
            .RequireAuthorization(Policies.Admin);
        alerts.MapGet("/", async (string? state, string? run, int? limit, string? after, IGrainFactory grains) =>
        {
            AlertState? only = null;
            if (state is "open" or "acknowledged") only = Enum.Parse<AlertState>(state, ignoreCase: true);
            else if (state is not (null or "all")) return BadRequest($"state: '{state}' is not one of open, acknowledged, all");
            if (limit is < 1 or > IAlertEngineGrain.MaxPage) return BadRequest($"limit: must be 1 to {IAlertEngineGrain.MaxPage}, got {limit}");
            return await Refusals(async () => Results.Ok(await Engine(grains).List(only, run, after, limit ?? DefaultLimit)));
        });
        alerts.MapGet("/deliveries", async (int? limit, IGrainFactory grains) =>
            limit is < 1 or > IAlertEngineGrain.MaxPage
                ? BadRequest($"limit: must be 1 to {IAlertEngineGrain.MaxPage}, got {limit}")
                : Results.Ok(await Engine(grains).Deliveries(limit ?? DefaultLimit)))
            .RequireAuthorization(Policies.Admin);
        // An alert id holds slashes: its segments in the path, or the whole id escaped as one segment.
        foreach (var path in new[] { "/{rule}/{run}/{occurrence:long}", "/{id}" })
        {
            alerts.MapPost(path + "/ack", async (HttpContext http, IGrainFactory grains) =>
            {
                var (body, error) = await ReadAsync(http);
                if (error is not null) return error;
                if (!TryComment(body, out var comment, out error)) return error;
                return await Refusals(async () => Results.Ok(await Engine(grains).Acknowledge(AlertId(http), comment, http.Actor())));
            }).RequireAuthorization(Policies.Operator);
            alerts.MapPost(path + "/snooze", async (HttpContext http, IGrainFactory grains) =>
            {
                var (body, error) = await ReadAsync(http);
                if (error is not null) return error;
                if (!TryComment(body, out var comment, out error)) return error;
                if (body?["seconds"] is not JsonValue seconds || seconds.GetValueKind() != JsonValueKind.Number || seconds.GetValue<double>() is not (var s and > 0))
                    return BadRequest("seconds: how long to snooze, a positive number of seconds");
                return await Refusals(async () => Results.Ok(await Engine(grains).Snooze(AlertId(http), TimeSpan.FromSeconds(s), comment, http.Actor())));
            }).RequireAuthorization(Policies.Operator);
        }
        return app;
    }

    private static IAlertEngineGrain Engine(IGrainFactory grains) => grains.GetGrain<IAlertEngineGrain>(IAlertEngineGrain.Key);

    private static string AlertId(HttpContext http)
    {
        var route = http.Request.RouteValues;
        return route.TryGetValue("id", out var id)
            ? Uri.UnescapeDataString((string)id!)
            : Alert.IdOf((string)route["rule"]!, (string)route["run"]!, long.Parse((string)route["occurrence"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The request's JSON body (null when it has none), or the refusal of one that is not JSON.</summary>
    private static async Task<(JsonNode? Body, IResult? Error)> ReadAsync(HttpContext http)
    {
        try
        {
            using var reader = new StreamReader(http.Request.Body);
            string text = await reader.ReadToEndAsync(http.RequestAborted);
            return (string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text), null);
        }
        catch (JsonException e)
        {
            return (null, BadRequest($"body: not JSON ({e.Message})"));
        }
    }

    private static bool TryComment(JsonNode? body, out string? comment, out IResult? error)
    {
        (comment, error) = (null, null);
        if (body is not null and not JsonObject) error = BadRequest("body: expected an object");
        else if (body?["comment"] is { } given)
        {
            if (given.GetValueKind() == JsonValueKind.String && given.GetValue<string>() is { Length: <= 2000 } text) comment = text;
            else error = BadRequest("comment: expected a string of at most 2000 characters");
        }
        return error is null;
    }

    /// <summary>The field a reading error is at, as the rule's JSON names it (<c>when.op</c>), with what is wrong there.</summary>
    private static string FieldOf(JsonException e)
    {
        string field = e.Path is { Length: > 2 } path ? path[2..] : "body";
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal)) return $"{field}: unknown field";
        if (e.Message.Contains("missing required properties", StringComparison.Ordinal)) return "when: missing: give one of event, quantity (with op, value, for_frames) or no_frame_for";
        return field switch
        {
            "severity" => "severity: must be one of info, warning, critical",
            "runs" => $"runs: expected a string, {RunGlob.Rule}",
            "webhooks" => "webhooks: expected an array of configured webhook names",
            "enabled" => "enabled: expected true or false",
            "when.no_frame_for" => "when.no_frame_for: expected a number of seconds",
            _ => $"{field}: not a valid value",
        };
    }

    private static async Task<IResult> Refusals(Func<Task<IResult>> act)
    {
        try
        {
            return await act();
        }
        catch (KeyNotFoundException e)
        {
            return Results.NotFound(new { error = e.Message });
        }
        catch (InvalidOperationException e)
        {
            return Results.Conflict(new { error = e.Message });
        }
        catch (ArgumentException e)
        {
            return BadRequest(e.Message);
        }
    }

    private static IResult BadRequest(string message) => Results.BadRequest(new { error = message });
}
