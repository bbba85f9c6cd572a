using System.Globalization;

namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// Fires <see cref="RunEventKinds.Commitment"/> ("committed to B") when the run enters a <see cref="Basin"/> of
/// <see cref="CommitmentOptions"/> and stays k frames, stamped with the first frame inside; Labels carry the
/// <c>basin</c>, Values the basin's quantities on that frame. Once per run unless
/// <see cref="CommitmentOptions.Rearm"/>.
/// </summary>
public sealed class CommitmentDetector : IFrameDetector
{
    private readonly CommitmentOptions _options;
    private readonly HysteresisTrigger[] _triggers;
    private bool _committed;

    public CommitmentDetector(CommitmentOptions options)
    {
        _options = options;
        _options.Validate();
        _triggers = _options.Basins.Select(_ => new HysteresisTrigger(_options.Consecutive, _options.Consecutive)).ToArray();
    }

    public string Kind => RunEventKinds.Commitment;

    /// <summary>The basin the run committed to first; null before.</summary>
    public string? CommittedTo { get; private set; }

    public IReadOnlyList<RunEvent> Observe(FrameSummary summary, DateTimeOffset arrivedAt)
    {
        if (_committed && !_options.Rearm) return [];
        List<RunEvent>? events = null;
        for (int b = 0; b < _triggers.Length; b++)
        {
            var basin = _options.Basins[b];
            bool inside = basin.Contains(summary);
            if (_triggers[b].Step(summary, fires: inside, rearms: _options.Rearm && !inside) is not { } first) continue;
            (events ??= []).Add(Committed(basin, first, arrivedAt));
            _committed = true;
            CommittedTo ??= basin.Name;
            if (!_options.Rearm) break;
        }
        return events ?? (IReadOnlyList<RunEvent>)[];
    }

    public void Reset()
    {
        _committed = false;
        CommittedTo = null;
        foreach (var trigger in _triggers) trigger.Reset();
    }

    private RunEvent Committed(Basin basin, FrameSummary first, DateTimeOffset arrivedAt)
    {
        var values = new Dictionary<string, double>();
        foreach (var quantity in basin.Bounds.Keys) values[quantity] = SummaryQuantities.Get(first, quantity) ?? double.NaN;
        var message = string.Create(CultureInfo.InvariantCulture, $"committed to {basin.Name} at frame {first.Frame}");
        return FrameEvents.Create(Kind, first, arrivedAt, message, values, new() { ["basin"] = basin.Name });
    }
}
