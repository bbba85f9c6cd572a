
namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// A detector that reads one run's <see cref="FrameSummary"/> sequence in frame order and says when something
/// happened. Implementations keep a few numbers of state (no frames, no history beyond what hysteresis needs), so a
/// grain can hold one per run; they are deterministic and do no I/O, and are not thread-safe: one caller at a time.
/// </summary>
public interface IFrameDetector
{
    /// <summary>The <see cref="RunEventKinds"/> name of what this detector reports.</summary>
    string Kind { get; }

    /// <summary>
    /// Takes the next frame and returns the events it completes (usually none). An event is stamped with the frame
    /// where the change began, which for detectors that wait for k frames is earlier than <paramref name="summary"/>;
    /// <see cref="RunEvent.At"/> is <paramref name="arrivedAt"/>, when the event could be decided.
    /// </summary>
    IReadOnlyList<RunEvent> Observe(FrameSummary summary, DateTimeOffset arrivedAt);

    /// <summary>Forgets the run so far: the trajectory started over (the file was truncated or replaced).</summary>
    void Reset();
}
