using StreamMonitor.Monitoring.Control;
using StreamMonitor.Monitoring.Events;

namespace StreamMonitor.Monitoring;

/// <summary>
/// Watches one run's summaries: the event detectors find what happened and the stop rules act on it. Every call returns
/// the events in the order they should be recorded, each detected event followed by the stop it caused. The run grain
/// and <c>streammonitor watch</c> both decide through this, so a run behaves the same in the server and in a terminal.
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed class RunSupervisor(EventDetectors detectors, StopRules rules)
{
    /// <summary>The last summary observed (or replayed).</summary>
    public FrameSummary? Latest { get; private set; }

    public Task<IReadOnlyList<RunEvent>> ObserveAsync(FrameSummary summary, DateTimeOffset arrivedAt, CancellationToken cancellationToken = default)
    {
        Latest = summary;
        return ActAsync(detectors.Observe(summary, arrivedAt), cancellationToken);
    }

    public Task<IReadOnlyList<RunEvent>> FileChangedAsync(string kind, string message, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ActAsync(detectors.FileChanged(kind, message, at), cancellationToken);

    /// <summary>Asks the clock-driven detectors (stall); call it periodically.</summary>
    public Task<IReadOnlyList<RunEvent>> CheckAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ActAsync(detectors.Check(now), cancellationToken);

    /// <summary>An operator's stop.</summary>
    public Task<RunEvent> StopAsync(Actor requestedBy, CancellationToken cancellationToken = default) =>
        rules.StopAsync(requestedBy, Latest, cancellationToken);

    /// <summary>
    /// Rebuilds the detectors' memory from summaries already recorded (a re-activated grain's history), without
    /// reporting again what they detect; see <see cref="EventDetectors.Replay"/>.
    /// </summary>
    public void Replay(IEnumerable<FrameSummary> history)
    {
        foreach (var summary in history) Latest = summary;
        detectors.Replay(history);
    }

    private async Task<IReadOnlyList<RunEvent>> ActAsync(IReadOnlyList<RunEvent> found, CancellationToken cancellationToken)
    {
        if (found.Count == 0) return found;
        var events = new List<RunEvent>(found.Count + 1);
        foreach (var e in found)
        {
            events.Add(e);
            if (await rules.ApplyAsync(e, Latest, cancellationToken).ConfigureAwait(false) is { } stop) events.Add(stop);
        }
        return events;
    }
}
