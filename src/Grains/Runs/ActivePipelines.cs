using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using StreamMonitor.Analysis.Parallelism;

namespace StreamMonitor.Grains.Runs;

/// <summary>
/// The run pipelines running in this silo (each holds a tailer and a file watch): one per live, active run, none for an
/// ended one. A pipeline leaves the set when it has wound down, its file let go, not when it was asked to stop. Its
/// meter gives the silo's load to the monitor's health: the runs it follows and the frames queued for a core.
/// </summary>
public sealed class ActivePipelines : IDisposable
{
    public const string MeterName = "StreamMonitor.Silo";

    private readonly ConcurrentDictionary<Guid, string> _running = new();
    private readonly Meter _meter = new(MeterName);

    public ActivePipelines()
    {
        _meter.CreateObservableGauge("streammonitor.silo.active_runs", () => Count, description: "Runs this silo follows");
        _meter.CreateObservableGauge("streammonitor.silo.frames_waiting", () => CoreBudget.Shared.Waiting, description: "Frames waiting for a core");
    }

    /// <summary>Pipelines still running.</summary>
    public int Count => _running.Count;

    /// <summary>The runs whose pipelines are still running.</summary>
    public IReadOnlyList<string> RunIds => _running.Values.Order(StringComparer.Ordinal).ToArray();

    public void Track(string runId, RunPipeline pipeline)
    {
        _running[pipeline.Id] = runId;
        pipeline.Completion.ContinueWith(_ => _running.TryRemove(pipeline.Id, out string? _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public void Dispose() => _meter.Dispose();
}
