using System.Globalization;
using StreamMonitor.Monitoring.Events;

namespace StreamMonitor.Monitoring.Alerts;

/// <summary>
/// Applies the alert rules to runs' updates, in each run's order, and says which alerts to raise. Each alert has an
/// occurrence fixed by the updates themselves, so evaluating the same updates again (after a restart, or when an update
/// arrives twice) raises nothing new:
/// <list type="bullet">
/// <item>an event rule: the event update's sequence number;</item>
/// <item>a quantity rule: the sequence number of the frame at which the comparison had held for <c>for_frames</c>
/// consecutive frames; it fires again only after a frame where it does not hold;</item>
/// <item>a no-frame rule: the sequence number of the last frame before the silence (of the registration before the first
/// frame), found either when the next frame comes late or, while the run is silent, by <see cref="CheckSilence"/>.</item>
/// </list>
/// A snoozed (rule, run) raises nothing for occurrences recorded before the snooze ends. Not thread-safe: the alert
/// engine calls it from its grain.
/// </summary>
public sealed class AlertEvaluator
{
    /// <summary>Occurrences remembered per (rule, run).</summary>
    public const int DefaultKeptOccurrences = 128;

    private readonly IDictionary<string, RunAlertState> _runs;
    private readonly TimeProvider _clock;
    private readonly int _kept;
    private Dictionary<string, AlertRule> _rules = [];

    /// <param name="runs">Each run's evaluation state, by run id: filled in and updated in place.</param>
    /// <param name="memory">The occurrences raised and the snoozes: updated in place.</param>
    public AlertEvaluator(IDictionary<string, RunAlertState> runs, AlertMemory memory, TimeProvider? clock = null, int keptOccurrences = DefaultKeptOccurrences)
    {
        _runs = runs ?? throw new ArgumentNullException(nameof(runs));
        Memory = memory ?? throw new ArgumentNullException(nameof(memory));
        _clock = clock ?? TimeProvider.System;
        _kept = keptOccurrences > 0 ? keptOccurrences : throw new ArgumentOutOfRangeException(nameof(keptOccurrences), keptOccurrences, "must be positive");
    }

    public AlertMemory Memory { get; }

    public IReadOnlyCollection<AlertRule> Rules => _rules.Values;

    /// <summary>
    /// Replaces the rules. A quantity rule whose condition or runs changed starts counting its frames again; updates
    /// already evaluated are not evaluated again for a new rule.
    /// </summary>
    public void SetRules(IEnumerable<AlertRule> rules)
    {
        var next = rules.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var changed = _rules.Values.Where(r => !next.TryGetValue(r.Id, out var now) || now.When != r.When || now.Runs != r.Runs || !now.Enabled)
            .Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        if (changed.Count > 0)
            foreach (var run in _runs.Values)
                foreach (var id in changed) run.Streaks.Remove(id);
        _rules = next;
    }

    /// <summary>The last update of <paramref name="runId"/> evaluated (0 for a run not seen yet).</summary>
    public long Evaluated(string runId) => _runs.TryGetValue(runId, out var run) ? run.Evaluated : 0;

    /// <summary>The alerts <paramref name="update"/> raises; nothing for an update at or before the run's <see cref="Evaluated"/>.</summary>
    public IReadOnlyList<Alert> Evaluate(RunUpdate update)
    {
        if (!_runs.TryGetValue(update.RunId, out var run)) _runs[update.RunId] = run = new RunAlertState();
        if (update.Sequence <= run.Evaluated) return [];
        run.Evaluated = update.Sequence;
        var raised = new List<Alert>();
        if (update.Summary is { } summary) OnFrame(update, summary, run, raised);
        else if (update.Event is { } e) OnEvent(update, e, raised);
        else if (update.Status is { } status) OnStatus(update, status, run);
        return raised;
    }

    /// <summary>
    /// Alerts of no-frame rules for live runs silent at <paramref name="now"/>, among the runs <paramref name="current"/>
    /// accepts (those whose updates are all evaluated: a run being caught up only looks silent).
    /// </summary>
    public IReadOnlyList<Alert> CheckSilence(DateTimeOffset now, Func<string, bool>? current = null)
    {
        var raised = new List<Alert>();
        foreach (var rule in _rules.Values)
        {
            if (rule.When.NoFrameFor is not { } silence || !rule.Enabled) continue;
            foreach (var (runId, run) in _runs)
            {
                if (run.Ended || run.AnchorAt is not { } since || now - since < silence) continue;
                if (!rule.Watches(runId) || current?.Invoke(runId) == false) continue;
                Silence(rule, runId, run, raised);
            }
        }
        return raised;
    }

    /// <summary>Raises no alert of <paramref name="rule"/> for <paramref name="runId"/> for occurrences recorded before <paramref name="until"/>.</summary>
    public void Snooze(string rule, string runId, DateTimeOffset until) => Memory.Snooze(AlertMemory.KeyOf(rule, runId), until, _clock.GetUtcNow());

    private void OnFrame(RunUpdate update, FrameSummary summary, RunAlertState run, List<Alert> raised)
    {
        // A frame that comes late ends a silence: found here too, for a silence that passed while nobody was evaluating.
        if (!run.Ended && run.AnchorAt is { } since)
            foreach (var rule in Watching(update.RunId, c => c.NoFrameFor is { } silence && update.RecordedAt - since >= silence))
                Silence(rule, update.RunId, run, raised);
        foreach (var rule in Watching(update.RunId, c => c.IsQuantity))
        {
            var when = rule.When;
            double? value = Quantity(summary, when.Quantity!);
            if (!when.Holds(value))
            {
                run.Streaks.Remove(rule.Id);
                continue;
            }
            int streak = run.Streaks[rule.Id] = run.Streaks.GetValueOrDefault(rule.Id) + 1;
            if (streak != when.Frames) continue; // armed again only after a frame where it does not hold
            string v = Number(value!.Value);
            Raise(rule, update.RunId, update.Sequence, update.RecordedAt, summary.Frame, summary.Step,
                $"run {update.RunId}: {when.Quantity} = {v} {when.Op} {Number(when.Value!.Value)} for {when.Frames} frame{(when.Frames == 1 ? "" : "s")} (frame {summary.Frame})",
                new Dictionary<string, double> { [when.Quantity!] = value.Value, ["threshold"] = when.Value!.Value, ["for_frames"] = when.Frames }, null, raised);
        }
        (run.AnchorSequence, run.AnchorAt, run.LastFrame, run.LastStep) = (update.Sequence, update.RecordedAt, summary.Frame, summary.Step);
    }

    private void OnEvent(RunUpdate update, RunEvent e, List<Alert> raised)
    {
        foreach (var rule in Watching(update.RunId, c => c.Event == e.Kind))
            Raise(rule, update.RunId, update.Sequence, update.RecordedAt, e.Frame, e.Step, $"{e.Kind} in run {update.RunId}: {e.Message}",
                e.Values, e, raised);
    }

    private static void OnStatus(RunUpdate update, RunStatusChange status, RunAlertState run)
    {
        run.Ended = status.State.IsEnded();
        if (status.State != RunState.Registered) return;
        // A (re-)registered run starts afresh: silence counts from here until its first frame, streaks from zero.
        (run.AnchorSequence, run.AnchorAt, run.LastFrame, run.LastStep) = (update.Sequence, update.RecordedAt, null, null);
        run.Streaks.Clear();
    }

    private void Silence(AlertRule rule, string runId, RunAlertState run, List<Alert> raised)
    {
        var silence = rule.When.NoFrameFor!.Value;
        string since = run.LastFrame is { } frame ? $"since frame {frame}" : "since it was registered";
        Raise(rule, runId, run.AnchorSequence!.Value, run.AnchorAt!.Value + silence, run.LastFrame, run.LastStep,
            $"run {runId}: no frame for {Number(silence.TotalSeconds)} s {since}",
            new Dictionary<string, double> { ["no_frame_for"] = silence.TotalSeconds }, null, raised);
    }

    private void Raise(AlertRule rule, string runId, long occurrence, DateTimeOffset at, long? frame, long? step, string message,
        IReadOnlyDictionary<string, double> values, RunEvent? e, List<Alert> raised)
    {
        string key = AlertMemory.KeyOf(rule.Id, runId);
        if (Memory.WasRaised(key, occurrence, _kept)) return;
        Memory.Remember(key, occurrence, _kept);
        if (Memory.IsSnoozed(key, at)) return; // remembered all the same: the snooze's end does not bring it back
        raised.Add(new Alert
        {
            Id = Alert.IdOf(rule.Id, runId, occurrence),
            Rule = rule.Id,
            RunId = runId,
            Severity = rule.Severity,
            Message = message,
            Occurrence = occurrence,
            RaisedAt = _clock.GetUtcNow(),
            Sequence = occurrence,
            Frame = frame,
            Step = step,
            Values = values,
            Event = e,
        });
    }

    private IEnumerable<AlertRule> Watching(string runId, Func<AlertCondition, bool> when) =>
        _rules.Values.Where(r => when(r.When) && r.Watches(runId));

    /// <summary>The quantity, or null where the frame does not carry it (a class the run's model lacks included): the comparison does not hold then.</summary>
    private static double? Quantity(FrameSummary summary, string name)
    {
        try
        {
            return SummaryQuantities.Get(summary, name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
