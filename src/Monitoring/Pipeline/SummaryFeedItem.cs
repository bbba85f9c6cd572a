using StreamMonitor.Core;

namespace StreamMonitor.Monitoring.Pipeline;

/// <summary>One item of a <see cref="SummaryFeed"/>: a frame's summary with the checkpoint just after it, or a file change.</summary>
public readonly record struct SummaryFeedItem(FrameSummary? Summary, Checkpoint? After, string? ChangeKind, string? ChangeMessage)
{
    public static SummaryFeedItem Of(FrameSummary summary, Checkpoint after) => new(summary, after, null, null);

    public static SummaryFeedItem Changed(string kind, string message) => new(null, null, kind, message);
}
