using System.Runtime.CompilerServices;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Grains.History;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.Streams;

/// <summary>
/// Keeps a consumer of the all-runs stream (the alert engine, the metrics exporter) complete and in order per run,
/// whatever the stream dropped and however long the consumer was away. The consumer owns its progress (the last sequence
/// it has taken of each run, <c>progressOf</c>) and advances it as it takes each update; this reads what it lacks from
/// the runs' durable history and their kept updates (<see cref="RunHistoryReader"/>).
/// </summary>
public sealed class AllRunsCatchUp(IGrainFactory grains, Func<string, long> progressOf)
{
    private readonly RunHistoryReader _reader = new(grains);

    /// <summary>
    /// <paramref name="update"/>, preceded by its run's updates after the consumer's progress that the stream did not
    /// bring; nothing when the consumer has it already (a retried delivery).
    /// </summary>
    public async IAsyncEnumerable<RunUpdate> InOrderAsync(RunUpdate update, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long done = progressOf(update.RunId);
        if (update.Sequence <= done) yield break;
        if (update.Sequence > done + 1)
        {
            await foreach (var missed in _reader.ReadAsync(update.RunId, null, done, cancellationToken))
            {
                if (missed.Sequence >= update.Sequence) break;
                yield return missed;
            }
        }
        yield return update;
    }

    /// <summary>The registered runs that recorded updates after the consumer's progress: what to catch up on after an activation.</summary>
    public async IAsyncEnumerable<string> BehindAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var registry = grains.GetGrain<IRunRegistryGrain>(IRunRegistryGrain.Key);
        string? after = null;
        do
        {
            var page = await registry.List(null, after, IRunRegistryGrain.MaxPage);
            foreach (var run in page.Runs)
                if (run.LastSequence > progressOf(run.RunId)) yield return run.RunId;
            after = page.Next;
        } while (after is not null && !cancellationToken.IsCancellationRequested);
    }

    /// <summary>The run's updates after the consumer's progress, oldest first.</summary>
    public async IAsyncEnumerable<RunUpdate> MissingAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in _reader.ReadAsync(runId, null, progressOf(runId), cancellationToken))
            if (update.Sequence > progressOf(runId)) yield return update;
    }
}
