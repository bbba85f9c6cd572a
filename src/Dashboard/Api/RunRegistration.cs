using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Dashboard.Api;

/// <summary>A run to register: the body of <c>POST /api/runs</c> and an entry of a <c>--runs</c> file (snake_case JSON).</summary>
public sealed record RunRegistration
{
    public required string Id { get; init; }
    public required string Trajectory { get; init; }
    public string? Format { get; init; }
    public string? Model { get; init; }

    /// <summary>Event rules as a JSON object (the <c>--rules</c> file format).</summary>
    public System.Text.Json.Nodes.JsonObject? Rules { get; init; }

    /// <summary><c>file:PATH</c>, <c>signal:PID[:SIG]</c> or <c>command:TEMPLATE</c>.</summary>
    public string? StopStrategy { get; init; }

    public IReadOnlyList<string>? StopOn { get; init; }
    public int? CheckpointEvery { get; init; }

    /// <summary>Surface/core and interface measures (<c>interface_axis</c>, <c>time_per_step</c>, ...).</summary>
    public SummarySettings? Summary { get; init; }

    public RunConfig ToConfig() => new()
    {
        TrajectoryPath = Trajectory,
        Format = Format,
        Model = Model ?? RunConfig.DefaultModel,
        RulesJson = Rules?.ToJsonString(),
        StopStrategy = StopStrategy,
        StopOn = StopOn?.ToArray() ?? [],
        CheckpointEvery = CheckpointEvery ?? 1,
        Summary = Summary ?? new SummarySettings(),
    };
}
