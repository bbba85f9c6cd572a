using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Dashboard.Api;

/// <summary>
/// A run to register: the body of <c>POST /api/runs</c> and an entry of a <c>--runs</c> file, in the contract's JSON
/// (snake_case, durations in seconds). Unknown fields are refused, so a misspelt option is an error, not a default.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RunRegistration
{
    private static readonly JsonSerializerOptions Json = ContractJson.Configure(new JsonSerializerOptions
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    });

    public required string Id { get; init; }
    public required string Trajectory { get; init; }
    public string? Format { get; init; }
    public string? Model { get; init; }

    /// <summary>Event rules as a JSON object (the <c>--rules</c> file format).</summary>
    public JsonObject? Rules { get; init; }

    /// <summary>How the run is stopped: <c>{"file": "STOP"}</c>, <c>{"command": "slurm", "params": {"jobid": "123"}}</c> or <c>{"signal": "TERM", "pid": 4242}</c>.</summary>
    public StopSpec? Stop { get; init; }

    public IReadOnlyList<string>? StopOn { get; init; }
    public int? CheckpointEvery { get; init; }

    /// <summary>Seconds without growth after which the run finishes (the server's default otherwise).</summary>
    public TimeSpan? EndAfterIdle { get; init; }

    /// <summary>Seconds without growth after a stop after which the run ends (the server's default otherwise).</summary>
    public TimeSpan? EndAfterStop { get; init; }

    /// <summary>Surface/core and interface measures (<c>interface_axis</c>, <c>time_per_step</c>, ...).</summary>
    public SummarySettings? Summary { get; init; }

    /// <summary>Atom roles of a molecular model's molecule for a trajectory that names atoms by type only (<c>"C=3,O=2,N=4"</c>).</summary>
    public string? Roles { get; init; }

    /// <summary>The column <see cref="Roles"/> refers to: <c>type</c>, <c>element</c> or a column name (default: type, else element).</summary>
    public string? RolesColumn { get; init; }

    /// <summary>Reads one registration; a <see cref="FormatException"/> names the field at fault.</summary>
    public static RunRegistration Parse(JsonElement json, string where)
    {
        RunRegistration run;
        try
        {
            run = json.Deserialize<RunRegistration>(Json) ?? throw new FormatException($"{where}: null");
        }
        catch (JsonException e)
        {
            // A converter's own message names no field; the reader knows where it was.
            var at = e.Path is { } path && !e.Message.Contains(path, StringComparison.Ordinal) ? $" (at {path})" : "";
            throw new FormatException($"{where}: {e.Message}{at}");
        }
        if (string.IsNullOrWhiteSpace(run.Trajectory)) throw new FormatException($"{where}: 'trajectory' is empty");
        return run;
    }

    public RunConfig ToConfig() => new()
    {
        TrajectoryPath = Trajectory,
        Format = Format,
        Model = Model ?? RunConfig.DefaultModel,
        RulesJson = Rules?.ToJsonString(),
        Stop = Stop,
        StopOn = StopOn?.ToArray() ?? [],
        CheckpointEvery = CheckpointEvery ?? 1,
        EndAfterIdle = EndAfterIdle,
        EndAfterStop = EndAfterStop,
        Summary = Summary ?? new SummarySettings(),
        Roles = Roles,
        RolesColumn = RolesColumn,
    };
}
