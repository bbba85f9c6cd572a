using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Orleans.Streams;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.Streams;

/// <summary>
/// Follows one run's updates from a sequence number on, each exactly once and in order, whenever the consumer joins:
/// it subscribes to the run's stream first (holding what arrives), reads what the run keeps after the cursor, and then
/// goes on with the stream, dropping what it has already given and filling any gap in the stream's numbers from the run.
/// What the run no longer keeps (a consumer far behind) is counted in <see cref="Missed"/>, not invented.
/// </summary>
public sealed class RunUpdateFollower(IClusterClient client, string runId, int pageSize = 256, int buffer = 4096)
{
    /// <summary>Updates after the starting cursor that neither the stream nor the run could give any more.</summary>
    public long Missed { get; private set; }

    /// <summary>The sequence number of the last update given (the cursor to resume from).</summary>
    public long Last { get; private set; }

    public async IAsyncEnumerable<RunUpdate> FollowAsync(long after = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Last = after;
        // Waiting to write is the backpressure: a slow consumer holds the stream's delivery rather than growing a queue.
        var arrived = Channel.CreateBounded<RunUpdate>(new BoundedChannelOptions(buffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stream = client.GetStreamProvider(RunStreams.Provider).GetStream<RunUpdate>(RunStreams.OfRun(runId));
        var subscription = await stream.SubscribeAsync(async (update, _) =>
        {
            try
            {
                await arrived.Writer.WriteAsync(update, leaving.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                // The consumer has gone: what it did not read is the next consumer's to fetch from the run.
            }
        });
        try
        {
            var run = client.GetGrain<IRunGrain>(runId);
            await foreach (var kept in FromRunAsync(run, long.MaxValue, cancellationToken)) yield return kept;
            await foreach (var update in arrived.Reader.ReadAllAsync(cancellationToken))
            {
                if (update.Sequence <= Last) continue; // already given, from the run or the stream
                if (update.Sequence > Last + 1)
                    await foreach (var kept in FromRunAsync(run, update.Sequence, cancellationToken)) yield return kept;
                if (update.Sequence > Last + 1) Missed += update.Sequence - Last - 1;
                Last = update.Sequence;
                yield return update;
            }
        }
        finally
        {
            // A delivery blocked on a full buffer would hold up the stream's queue, which other runs' streams share.
            arrived.Writer.TryComplete();
            await leaving.CancelAsync();
            await subscription.UnsubscribeAsync();
        }
    }

    /// <summary>What the run keeps after <see cref="Last"/> and before <paramref name="before"/>, page by page.</summary>
    private async IAsyncEnumerable<RunUpdate> FromRunAsync(IRunGrain run, long before, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await run.GetUpdates(Last, pageSize);
            // What the run no longer keeps is missed, up to the update the caller holds (which it gives itself).
            long gone = Math.Min(page.Missed, Math.Max(0, before - 1 - Last));
            Missed += gone;
            Last += gone;
            bool more = false;
            foreach (var update in page.Updates)
            {
                if (update.Sequence >= before) yield break;
                Last = update.Sequence;
                more = true;
                yield return update;
            }
            if (!more || Last >= page.LastSequence) yield break;
        }
    }
}
