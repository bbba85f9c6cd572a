
namespace StreamMonitor.Monitoring.Events;

/// <summary>Builds the <see cref="RunEvent"/> of a frame detector: run, frame, step and time from the frame where it happened.</summary>
internal static class FrameEvents
{
    public static RunEvent Create(string kind, FrameSummary where, DateTimeOffset decidedAt, string message,
        Dictionary<string, double> values, Dictionary<string, string>? labels = null) => new()
    {
        RunId = where.RunId,
        Kind = kind,
        Frame = where.Frame,
        Step = where.Step,
        Time = where.Time,
        Message = message,
        Values = values,
        Labels = labels ?? new Dictionary<string, string>(),
        At = decidedAt,
    };
}
