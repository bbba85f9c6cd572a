using StreamMonitor.Core;

namespace StreamMonitor.Ingest.Tailing;

/// <summary>
/// One item of a tailed trajectory: a frame (owned by whoever reads it) with the checkpoint that resumes right
/// after it, or an event. <see cref="ReadAt"/> is the <see cref="System.Diagnostics.Stopwatch"/> timestamp at which
/// the tailer started reading the frame, within one change notification (or poll) of its last byte being written;
/// latencies downstream are measured from it.
/// </summary>
public readonly record struct TrajectoryItem(Frame? Frame, Checkpoint? After, TrajectoryEvent? Event, long ReadAt = 0)
{
    public static TrajectoryItem Of(Frame frame, Checkpoint after, long readAt) => new(frame, after, null, readAt);
    public static TrajectoryItem Of(TrajectoryEvent e) => new(null, null, e);
}
