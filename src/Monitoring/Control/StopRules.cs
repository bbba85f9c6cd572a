
namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// A run's stop rules: the event kinds that stop it and the strategy that does. Each kind stops the run the first time
/// it fires and never again (a flapping detector must not send a signal per frame); an operator's stop always goes
/// through. Every attempt, failed or not, comes back as a <see cref="RunEventKinds.Stop"/> event stamped with the
/// frame the run had reached when it was carried out, which for detectors that wait k frames is later than the cause.
/// </summary>
public sealed class StopRules
{
    private readonly string _runId;
    private readonly IReadOnlySet<string> _stopOn;
    private readonly Func<IStopStrategy>? _strategy;
    private readonly ICollection<string> _fired;
    private readonly IReadOnlyDictionary<string, string> _placeholders;
    private IStopStrategy? _created;

    /// <param name="fired">Kinds that have already stopped the run; updated here, so a caller can persist it.</param>
    /// <param name="strategy">Creates the strategy when first needed; null when the run cannot be stopped.</param>
    public StopRules(string runId, IEnumerable<string> stopOn, Func<IStopStrategy>? strategy, ICollection<string>? fired = null,
        IReadOnlyDictionary<string, string>? placeholders = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        _runId = runId;
        _stopOn = stopOn.ToHashSet(StringComparer.OrdinalIgnoreCase);
        Validate(_stopOn, strategy is not null);
        _strategy = strategy;
        _fired = fired ?? new List<string>();
        _placeholders = placeholders ?? new Dictionary<string, string>();
    }

    /// <summary>Throws when a kind is not a detected event's, or kinds are given with no strategy to act on them.</summary>
    public static void Validate(IEnumerable<string> stopOn, bool hasStrategy)
    {
        bool any = false;
        foreach (var kind in stopOn)
        {
            any = true;
            if (!RunEventKinds.Detected.Contains(kind, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"cannot stop on unknown event kind '{kind}' (known: {string.Join(", ", RunEventKinds.Detected)})");
        }
        if (any && !hasStrategy) throw new ArgumentException("stop-on kinds need a stop strategy");
    }

    /// <summary>The stop <paramref name="cause"/> triggers, or null when its kind is not a rule's or has already stopped the run.</summary>
    public async Task<RunEvent?> ApplyAsync(RunEvent cause, FrameSummary? latest, CancellationToken cancellationToken = default)
    {
        if (!_stopOn.Contains(cause.Kind) || _fired.Contains(cause.Kind)) return null;
        _fired.Add(cause.Kind);
        return await StopAsync(cause.Kind, new Actor($"rule:{cause.Kind}"), latest, cause, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stop someone asked for (<see cref="StopRequest.OperatorReason"/>).</summary>
    public Task<RunEvent> StopAsync(Actor requestedBy, FrameSummary? latest, CancellationToken cancellationToken = default) =>
        StopAsync(StopRequest.OperatorReason, requestedBy, latest, null, cancellationToken);

    private async Task<RunEvent> StopAsync(string reason, Actor requestedBy, FrameSummary? latest, RunEvent? cause, CancellationToken cancellationToken)
    {
        var request = new StopRequest { RunId = _runId, Reason = reason, RequestedBy = requestedBy.Name, From = requestedBy.Address, Placeholders = _placeholders };
        StopOutcome outcome;
        if (_strategy is null)
        {
            outcome = StopOutcome.Failed("none", "no stop strategy configured", "the run was registered without a stop strategy");
        }
        else
        {
            _created ??= _strategy();
            outcome = await _created.StopAsync(request, cancellationToken).ConfigureAwait(false);
        }
        var stop = outcome.ToEvent(request);
        return latest is not null
            ? stop with { Frame = latest.Frame, Step = latest.Step, Time = latest.Time }
            : stop with { Frame = cause?.Frame, Step = cause?.Step, Time = cause?.Time };
    }
}
