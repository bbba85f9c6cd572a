using StreamMonitor.Classification.Models;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Grains.Hosting;
using StreamMonitor.Ingest;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.Monitoring.Events;
using StreamMonitor.Monitoring.Paths;
using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Grains.Runs;

/// <summary>
/// What a server accepts in a registration, and the defaults it fills in: trajectories, stop files and model files only
/// under its data roots (<see cref="PathRoots"/>), stops only through its <see cref="StopPolicy"/>, and its default
/// <c>end_after_idle</c> and <c>end_after_stop</c>. Every registration goes through <see cref="Resolve"/> in the run
/// grain, whoever makes it (the API, a runs file, a watched folder, a campaign).
/// </summary>
public sealed class RunPolicy(StopPolicy stops, TimeSpan? endAfterIdle = null, TimeSpan? endAfterStop = null)
{
    /// <summary>The shortest idle time a run may end after: below it a run would end between two polls of its file.</summary>
    public static readonly TimeSpan ShortestIdle = TimeSpan.FromSeconds(1);

    /// <summary>The most frames between state writes: beyond it a silo failure would redo hours of frames.</summary>
    public const int MaxCheckpointEvery = 10_000;

    public StopPolicy Stops { get; } = stops ?? throw new ArgumentNullException(nameof(stops));

    public PathRoots Roots => Stops.Roots;

    public TimeSpan EndAfterIdle { get; } = CheckIdle(endAfterIdle ?? ServerDefaults.EndAfterIdle, "end_after_idle");

    public TimeSpan EndAfterStop { get; } = CheckIdle(endAfterStop ?? ServerDefaults.EndAfterStop, "end_after_stop");

    /// <summary>A policy that accepts paths under <paramref name="roots"/>, with no stop commands and the default times.</summary>
    public static RunPolicy Under(params string[] roots) => new(new StopPolicy(new PathRoots(roots)));

    /// <summary>
    /// The configuration as the run will keep it: paths absolute and confined, defaults filled in, every field checked
    /// (an <see cref="ArgumentException"/> or <see cref="FormatException"/> names the field that is wrong). The model's
    /// own checks (its classes against the summary settings) come when the grain loads it.
    /// </summary>
    public RunConfig Resolve(RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var trajectory = Roots.Confine(config.TrajectoryPath, "trajectory", Roots.Roots[0]);
        _ = TrajectoryFormats.ByName(config.Format);
        if (string.IsNullOrWhiteSpace(config.Model)) throw new ArgumentException("model is empty");
        // A model file is read by the server like a trajectory: only a shipped model's name is taken as it is.
        var model = ModelCatalog.Names.Contains(config.Model) ? config.Model : Roots.Confine(config.Model, "model", Roots.Roots[0]);
        if (config.RulesJson is not null) EventRules.Parse(config.RulesJson, "rules").Validate();
        var stop = config.Stop is { } spec ? Stops.Check(spec, trajectory) : null;
        StopRules.Validate(config.StopOn, stop is not null);
        if (config.CheckpointEvery is < 1 or > MaxCheckpointEvery)
            throw new ArgumentException($"checkpoint_every must be 1 to {MaxCheckpointEvery} frames, got {config.CheckpointEvery}");
        return config with
        {
            TrajectoryPath = trajectory,
            Model = model,
            Stop = stop,
            StopOn = config.StopOn.Select(k => k.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToArray(),
            EndAfterIdle = CheckIdle(config.EndAfterIdle ?? EndAfterIdle, "end_after_idle"),
            EndAfterStop = CheckIdle(config.EndAfterStop ?? EndAfterStop, "end_after_stop"),
            Summary = config.Summary ?? new SummarySettings(),
        };
    }

    private static TimeSpan CheckIdle(TimeSpan value, string field) =>
        value >= ShortestIdle && value <= TimeSpan.FromDays(365)
            ? value
            : throw new ArgumentException($"{field} must be from {ShortestIdle.TotalSeconds:0} s to a year, got {value.TotalSeconds} s");
}
