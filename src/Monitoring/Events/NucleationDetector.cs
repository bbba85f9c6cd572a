using System.Globalization;

namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// Fires <see cref="RunEventKinds.Nucleation"/> when the largest crystalline cluster passes the threshold of
/// <see cref="NucleationOptions"/> for k frames, stamped with the first of those frames (where the nucleus crossed,
/// not where we became sure), and re-arms once n_max has fallen below <see cref="NucleationOptions.RearmFraction"/>
/// of that threshold. The threshold is fixed at the run's first frame (it depends on that frame's n_max).
/// </summary>
public sealed class NucleationDetector : IFrameDetector
{
    private readonly NucleationOptions _options;
    private readonly HysteresisTrigger _trigger;
    private int? _firstNMax;

    public NucleationDetector(NucleationOptions? options = null)
    {
        _options = options ?? new NucleationOptions();
        _options.Validate();
        _trigger = new HysteresisTrigger(_options.Consecutive);
    }

    public string Kind => RunEventKinds.Nucleation;

    /// <summary>The n_max that fires, once the first frame is known.</summary>
    public int? Threshold => _firstNMax is { } first ? ThresholdFor(first) : null;

    public IReadOnlyList<RunEvent> Observe(FrameSummary summary, DateTimeOffset arrivedAt)
    {
        _firstNMax ??= summary.NMax;
        int threshold = ThresholdFor(_firstNMax.Value);
        var first = _trigger.Step(summary, fires: summary.NMax >= threshold, rearms: summary.NMax < _options.RearmFraction * threshold);
        if (first is null) return [];
        var message = string.Create(CultureInfo.InvariantCulture,
            $"n_max reached {first.NMax} (threshold {threshold}) at frame {first.Frame} and held it for {_options.Consecutive} frames");
        return
        [
            FrameEvents.Create(Kind, first, arrivedAt, message, new()
            {
                ["n_max"] = first.NMax,
                ["threshold"] = threshold,
                ["first_n_max"] = _firstNMax.Value,
                ["n_max_confirmed"] = summary.NMax,
                ["consecutive"] = _options.Consecutive,
            }),
        ];
    }

    public void Reset()
    {
        _firstNMax = null;
        _trigger.Reset();
    }

    private int ThresholdFor(int firstNMax) =>
        _options.Growth is { } growth ? Math.Max(_options.Threshold, firstNMax + growth) : _options.Threshold;
}
