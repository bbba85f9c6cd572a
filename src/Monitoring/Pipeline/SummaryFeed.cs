using System.Diagnostics;
using System.Runtime.CompilerServices;
using StreamMonitor.Core;
using StreamMonitor.Monitoring.Events;
using StreamMonitor.Ingest;
using StreamMonitor.Ingest.Tailing;

namespace StreamMonitor.Monitoring.Pipeline;

/// <summary>
/// A trajectory as a sequence of frame summaries: tails the file (or a series of files named by a glob, see
/// <see cref="FileSeries"/>) from a checkpoint and summarises each frame as it completes, passing file changes
/// (truncated, replaced, ...) through in order. The one loop both the run grain's
/// pipeline and <c>streammonitor watch</c> read from; each frame is released as soon as it is summarised. A summary's
/// <see cref="FrameSummary.LatencyMs"/> runs from the moment the tailer began reading the frame.
/// </summary>
public static class SummaryFeed
{
    /// <param name="slots">
    /// Shared by the runs of a process so that they compute on no more frames at once than it has cores; a frame leaves
    /// its slot while its rows wait for the shared network (<see cref="FrameSummarizer"/>). Null: no limit.
    /// </param>
    /// <param name="onRead">Called as each frame or file change comes off the trajectory, before it is summarised.</param>
    public static async IAsyncEnumerable<SummaryFeedItem> FollowAsync(string runId, FrameSummarizer summarizer, string path, TailOptions options,
        Checkpoint? resume = null, ComputeSlots? slots = null, [EnumeratorCancellation] CancellationToken cancellationToken = default, Action? onRead = null)
    {
        var items = FileSeries.IsPattern(Path.GetFileName(path))
            ? SeriesTailer.FollowAsync(new FileSeries(path), options, resume, cancellationToken)
            : FollowFileAsync(path, options, resume, cancellationToken);
        var behind = new FramesBehindEstimate(resume);
        await foreach (var item in items.ConfigureAwait(false))
        {
            onRead?.Invoke();
            if (item.Event is { } change)
            {
                yield return SummaryFeedItem.Changed(KindName(change.Kind), change.Message);
            }
            else if (item.Frame is { } frame && item.After is { } after)
            {
                FrameSummary summary;
                using (frame)
                {
                    summary = await summarizer.SummarizeAsync(runId, frame, slots, cancellationToken).ConfigureAwait(false);
                }
                // From the tailer's read, so parsing and any wait behind earlier frames count too.
                summary = summary with
                {
                    LatencyMs = Stopwatch.GetElapsedTime(item.ReadAt).TotalMilliseconds,
                    FramesBehind = behind.After(after),
                };
                PipelineMeters.Record(runId, summary);
                yield return SummaryFeedItem.Of(summary, after);
            }
        }
    }

    private static async IAsyncEnumerable<TrajectoryItem> FollowFileAsync(string path, TailOptions options, Checkpoint? resume,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tailer = TrajectoryTailer.Start(path, options, resume, cancellationToken);
        await foreach (var item in tailer.Items.ReadAllAsync(cancellationToken).ConfigureAwait(false)) yield return item;
        await tailer.Completion.ConfigureAwait(false);
    }

    /// <summary>The kind name the event detectors use for a tailer's file change.</summary>
    public static string KindName(TrajectoryEventKind kind) => kind switch
    {
        TrajectoryEventKind.Truncated => RestartDetector.Truncated,
        TrajectoryEventKind.Replaced => RestartDetector.Replaced,
        TrajectoryEventKind.Missing => RestartDetector.Missing,
        TrajectoryEventKind.CheckpointMismatch => RestartDetector.CheckpointMismatch,
        TrajectoryEventKind.Skipped => RestartDetector.Skipped,
        _ => kind.ToString().ToLowerInvariant(),
    };
}
