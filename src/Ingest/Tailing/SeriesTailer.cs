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
        string? current = null, after = null;
        Checkpoint? position = null;
        long nextFrame = 0;
        if (resume is not null && series.Matches(resume.Path))
        {
            nextFrame = resume.FrameIndex;
            if (File.Exists(resume.Path)) (current, position) = (resume.Path, resume);
            else
            {
                // Old parts deleted or compressed away: go on with the files after it, the frame count running on.
                after = resume.Path;
                yield return Event(TrajectoryEventKind.Skipped, resume.Path, "the checkpoint's file is gone; going on with the next file of the series", resume);
            }
        }
        else if (resume is not null)
        {
            yield return Event(TrajectoryEventKind.CheckpointMismatch, resume.Path, $"the checkpoint is not of the series {series.Pattern}; reading it from frame 0", resume);
        }
        var lastProgress = DateTime.UtcNow;

        while (true)
        {
            current ??= after is null ? series.List().FirstOrDefault() : series.After(after);
            if (current is null)
            {
                if (!options.Follow)
                {
                    if (after is null) throw new FileNotFoundException($"{series.Pattern}: no file matches", series.Pattern);
                    yield break;
                }
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
            bool idle = false;
            Exception? unreadable = null;
            try
            {
                while (true)
                {
                    var (item, error) = await NextAsync(reader, stop.Token).ConfigureAwait(false);
                    if (error is not null || item is not { } next)
                    {
                        unreadable = error;
                        break;
                    }
                    if (next.After is { } checkpoint)
                    {
                        position = checkpoint;
                        nextFrame = checkpoint.FrameIndex;
                        lastProgress = DateTime.UtcNow;
                    }
                    yield return next;
                }
                cancellationToken.ThrowIfCancellationRequested();
                if (unreadable is null && !stop.IsCancellationRequested) unreadable = await Outcome(tailer.Completion).ConfigureAwait(false);
                await stop.CancelAsync().ConfigureAwait(false);
                await Outcome(tailer.Completion).ConfigureAwait(false);
                idle = await watch.ConfigureAwait(false);
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false); // ends the watch and the tailer however we leave
                await Outcome(watch).ConfigureAwait(false);
                Release(reader);
            }

            if (unreadable is not null)
            {
                // A finished part that cannot be read to its end (cut at a walltime kill, or deleted meanwhile) is
                // reported, and the series goes on; a part still being followed has no such excuse.
                if (!finished || unreadable is not (TrajectoryFormatException or IOException)) throw unreadable;
                yield return Event(TrajectoryEventKind.Skipped, current, $"the rest of the file cannot be read ({unreadable.Message}); going on with the next file",
                    position ?? start);
            }
            else
            {
                if (idle) yield break;
                if (!finished) continue; // a later file appeared: read the rest of this one
            }
            after = current;
            current = null;
            position = null;
            if (!options.Follow && series.After(after) is null) yield break;
        }
    }

    private static TrajectoryItem Event(TrajectoryEventKind kind, string path, string message, Checkpoint at) =>
        TrajectoryItem.Of(new TrajectoryEvent(kind, path, message, at.Position));

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

    /// <summary>The next item; (null, null) at the end or when stopped; (null, error) when the file's tailer failed.</summary>
    private static async ValueTask<(TrajectoryItem? Item, Exception? Error)> NextAsync(ChannelReader<TrajectoryItem> reader, CancellationToken ct)
    {
        try
        {
            return (await reader.WaitToReadAsync(ct).ConfigureAwait(false) && reader.TryRead(out var item) ? item : null, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return (null, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, e);
        }
    }

    /// <summary>Frees frames the tailer read past the point where it was stopped; they are read again from the checkpoint.</summary>
    private static void Release(ChannelReader<TrajectoryItem> reader)
    {
        while (reader.TryRead(out var left)) left.Frame?.Dispose();
    }

    /// <summary>What a task ended with: null when it succeeded or was cancelled, else its exception.</summary>
    private static async Task<Exception?> Outcome(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
