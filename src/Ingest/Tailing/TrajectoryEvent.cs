using StreamMonitor.Core;

namespace StreamMonitor.Ingest.Tailing;

/// <summary>Something that happened to the file being tailed, in order with its frames.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Path">The file.</param>
/// <param name="Message">A sentence for people.</param>
/// <param name="Before">Where reading stood when it happened (the next frame that would have been read).</param>
public sealed record TrajectoryEvent(TrajectoryEventKind Kind, string Path, string Message, TrajectoryPosition Before);
