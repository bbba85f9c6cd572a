using System.Runtime.CompilerServices;
using System.Threading.Channels;
using StreamMonitor.Core;

namespace StreamMonitor.Ingest.Tailing;

/// <summary>
/// Tails a <see cref="FileSeries"/> as one trajectory: each file is read in turn with a <see cref="TrajectoryTailer"/>,
/// and frame indices run on across files, so checkpoints (the current file's path, byte offset and the run's frame
/// index) resume a series exactly as they do a single file. The newest file is followed while it grows; once a later
/// file appears the engine has finished it, so its remaining frames are read to its end and the next file is taken.
/// Ends like the tailer: following, after <see cref="TailOptions.IdleTimeout"/> without a new frame or file; not
/// following, at the end of the last file.
/// </summary>
public static class SeriesTailer
{
    public static async IAsyncEnumerable<TrajectoryItem> FollowAsync(FileSeries series, TailOptions options, Checkpoint? resume = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        var current = resume is not null && series.Matches(resume.Path) && File.Exists(resume.Path) ? resume.Path : null;
        var position = current is null ? null : resume;
        long nextFrame = position?.FrameIndex ?? 0;
        var lastProgress = DateTime.UtcNow;

        while (true)
        {
            current ??= series.List().FirstOrDefault();
            if (current is null)
            {
                if (!options.Follow) throw new FileNotFoundException($"{series.Pattern}: no file matches", series.Pattern);
                if (IdleFor(options, lastProgress)) yield break;
                await Task.Delay(options.PollInterval, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // A file with a later one beside it is finished: read it to its end. The newest is followed until a later
            // file appears (or the run goes idle), then read again from where that stopped, to its end.
            bool finished = series.After(current) is not null || !options.Follow;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var start = position ?? new Checkpoint(current, 0, nextFrame, default);
            var tailer = TrajectoryTailer.Start(current, options with { Follow = !finished, IdleTimeout = null }, start, stop.Token);
            var watch = finished ? Task.FromResult(false) : WatchAsync(series, current, options, () => lastProgress, stop, cancellationToken);
            var reader = tailer.Items;
            bool idle;
            try
            {
                while (await NextAsync(reader, stop.Token).ConfigureAwait(false) is { } item)
                {
                    if (item.After is { } after)
                    {
                        position = after;
                        nextFrame = after.FrameIndex;
                        lastProgress = DateTime.UtcNow;
                    }
                    yield return item;
                }
                cancellationToken.ThrowIfCancellationRequested();
                if (stop.IsCancellationRequested)
                {
                    await Quietly(tailer.Completion).ConfigureAwait(false);
                }
                else
                {
                    await tailer.Completion.ConfigureAwait(false); // the file's errors
                    await stop.CancelAsync().ConfigureAwait(false);
                }
                idle = await watch.ConfigureAwait(false);
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false); // ends the watch and the tailer however we leave
                Release(reader);
            }

            if (idle) yield break;
            if (!finished) continue; // a later file appeared: read the rest of this one
            var next = series.After(current);
            if (next is null)
            {
                if (!options.Follow) yield break;
                continue; // the later file went away again: follow this one once more
            }
            current = next;
            position = null;
        }
    }

    /// <summary>Cancels <paramref name="stop"/> when a file after <paramref name="current"/> appears (false) or the run is idle (true).</summary>
    private static async Task<bool> WatchAsync(FileSeries series, string current, TailOptions options, Func<DateTime> lastProgress,
        CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(options.PollInterval, stop.Token).ConfigureAwait(false);
                bool idle = IdleFor(options, lastProgress());
                if (idle || series.After(current) is not null)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    return idle;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // the file's tailer ended first (an error): nothing to watch for
        }
        return false;
    }

    private static bool IdleFor(TailOptions options, DateTime lastProgress) =>
        options.IdleTimeout is { } idle && DateTime.UtcNow - lastProgress >= idle;

    private static async ValueTask<TrajectoryItem?> NextAsync(ChannelReader<TrajectoryItem> reader, CancellationToken ct)
    {
        try
        {
            return await reader.WaitToReadAsync(ct).ConfigureAwait(false) && reader.TryRead(out var item) ? item : null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Frees frames the tailer read past the point where it was stopped; they are read again from the checkpoint.</summary>
    private static void Release(ChannelReader<TrajectoryItem> reader)
    {
        while (reader.TryRead(out var left)) left.Frame?.Dispose();
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
