using System.Collections.Concurrent;

namespace StreamMonitor.Grains.Runs;

/// <summary>
/// The run pipelines running in this silo (each holds a tailer and a file watch): one per live, active run, none for an
/// ended one. A pipeline leaves the set when it has wound down, its file let go, not when it was asked to stop.
/// </summary>
public sealed class ActivePipelines
{
    private readonly ConcurrentDictionary<Guid, string> _running = new();

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
}
