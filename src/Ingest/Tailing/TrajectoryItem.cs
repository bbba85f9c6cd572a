using StreamMonitor.Core;

namespace StreamMonitor.Ingest.Tailing;

/// <summary>
/// One item of a tailed trajectory: a frame (owned by whoever reads it) with the checkpoint that resumes right
/// after it, or an event.
/// </summary>
public readonly record struct TrajectoryItem(Frame? Frame, Checkpoint? After, TrajectoryEvent? Event)
{
    public static TrajectoryItem Of(Frame frame, Checkpoint after) => new(frame, after, null);
    public static TrajectoryItem Of(TrajectoryEvent e) => new(null, null, e);
}
