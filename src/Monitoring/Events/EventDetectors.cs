
namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// All of one run's detectors, built from <see cref="EventRules"/>: frames go to every enabled frame detector in a
/// fixed order (nucleation, melting, polymorph change, interface motion, commitment), so events of one frame always
/// come out in that order; <see cref="Check"/> asks the stall detector on a clock; <see cref="FileChanged"/> reports
/// a restart and, when the file starts over, resets the frame detectors (a new trajectory has its own first frame,
/// peak and basins). Not thread-safe: one caller at a time, as a grain is.
/// </summary>
public sealed class EventDetectors
{
    private readonly IFrameDetector[] _frameDetectors;
    private readonly StallDetector? _stall;
    private readonly RestartDetector? _restart;

    public EventDetectors(EventRules rules, string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        rules.Validate();
        RunId = runId;
        var all = new (string Kind, Func<IFrameDetector> Create)[]
        {
            (RunEventKinds.Nucleation, () => new NucleationDetector(rules.Nucleation)),
            (RunEventKinds.Melting, () => new MeltingDetector(rules.Melting)),
            (RunEventKinds.PolymorphChange, () => new PolymorphChangeDetector(rules.PolymorphChange)),
            (RunEventKinds.InterfaceMotion, () => new InterfaceMotionDetector(rules.InterfaceMotion)),
            (RunEventKinds.Commitment, () => new CommitmentDetector(rules.Commitment)),
        };
        _frameDetectors = all.Where(d => rules.IsEnabled(d.Kind) && (d.Kind != RunEventKinds.Commitment || rules.Commitment.Basins.Count > 0))
            .Select(d => d.Create()).ToArray();
        _stall = rules.IsEnabled(RunEventKinds.Stall) ? new StallDetector(runId, rules.Stall) : null;
        _restart = rules.IsEnabled(RunEventKinds.Restart) ? new RestartDetector(runId) : null;
    }

    public string RunId { get; }

    /// <summary>The kinds of the frame detectors that run, in the order they see each frame.</summary>
    public IReadOnlyList<string> FrameKinds => _frameDetectors.Select(d => d.Kind).ToArray();

    /// <summary>Feeds the next frame (in frame order) to every detector; returns the events it completes.</summary>
    public IReadOnlyList<RunEvent> Observe(FrameSummary summary, DateTimeOffset arrivedAt)
    {
        if (summary.RunId != RunId) throw new ArgumentException($"a summary of run '{summary.RunId}' was given to the detectors of run '{RunId}'", nameof(summary));
        _stall?.Observe(summary, arrivedAt);
        List<RunEvent>? events = null;
        foreach (var detector in _frameDetectors)
        {
            var found = detector.Observe(summary, arrivedAt);
            if (found.Count > 0) (events ??= []).AddRange(found);
        }
        return events ?? (IReadOnlyList<RunEvent>)[];
    }

    /// <summary>
    /// Feeds summaries already seen (in frame order) to the frame detectors and drops what they report: a re-activated
    /// run rebuilds its streaks, peaks and hysteresis from its recorded history instead of starting blank, so an event
    /// already recorded does not fire again. Only the history given is known (a melting peak older than it is not), and
    /// the stall detector starts afresh, since arrival times are not part of a summary. Not for the live path: it does
    /// not check run ids or feed the stall detector.
    /// </summary>
    public void Replay(IEnumerable<FrameSummary> history)
    {
        var now = DateTimeOffset.UtcNow; // stamps only events that are dropped
        long? previous = null;
        foreach (var summary in history)
        {
            // A frame index going back is where the file started over, and the detectors with it.
            if (summary.Frame <= previous)
                foreach (var detector in _frameDetectors) detector.Reset();
            previous = summary.Frame;
            foreach (var detector in _frameDetectors) detector.Observe(summary, now);
        }
    }

    /// <summary>A stall event when the run has been silent too long (once per stall); call it on a clock.</summary>
    public IReadOnlyList<RunEvent> Check(DateTimeOffset now) => _stall?.Check(now) is { } stall ? [stall] : [];

    /// <summary>
    /// The trajectory file changed under the run (<c>truncated</c>, <c>replaced</c>, <c>missing</c>, as the tailer
    /// reports it): returns the restart event (when enabled) and resets the frame detectors unless the file is merely missing.
    /// </summary>
    public IReadOnlyList<RunEvent> FileChanged(string kind, string message, DateTimeOffset at)
    {
        var restart = _restart?.FileChanged(kind, message, at);
        if (RestartDetector.StartsOver(kind))
            foreach (var detector in _frameDetectors) detector.Reset();
        return restart is null ? [] : [restart];
    }
}
