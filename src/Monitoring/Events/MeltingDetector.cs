using System.Globalization;

namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// Fires <see cref="RunEventKinds.Melting"/> when the crystalline fraction falls below the level of
/// <see cref="MeltingOptions"/> (the larger of the absolute floor and the relative drop from the running maximum) for
/// k frames, stamped with the first of them and labelled with where the crystal melts (<see cref="MeltingModes"/>).
/// It arms only once the run holds <see cref="MeltingOptions.ArmAbove"/> of crystal, and re-arms once the fraction is
/// back <see cref="MeltingOptions.RearmBand"/> above the level that fired.
/// </summary>
public sealed class MeltingDetector : IFrameDetector
{
    private readonly MeltingOptions _options;
    private readonly HysteresisTrigger _trigger;
    private FrameSummary? _peak;
    private double _rearmAt;

    public MeltingDetector(MeltingOptions? options = null)
    {
        _options = options ?? new MeltingOptions();
        _options.Validate();
        _trigger = new HysteresisTrigger(_options.Consecutive, startArmed: false);
        _rearmAt = _options.ArmAbove;
    }

    public string Kind => RunEventKinds.Melting;

    public IReadOnlyList<RunEvent> Observe(FrameSummary summary, DateTimeOffset arrivedAt)
    {
        double fraction = summary.CrystallineFraction;
        if (_peak is null || fraction > _peak.CrystallineFraction) _peak = summary;
        double level = Level(_peak.CrystallineFraction);
        var first = _trigger.Step(summary, fires: fraction < level, rearms: fraction >= _rearmAt);
        if (first is null) return [];
        _rearmAt = Math.Max(_options.ArmAbove, level + _options.RearmBand);

        var (mode, surfaceLoss, coreLoss) = MeltingModes.Classify(_peak, first, _options.SurfaceDominance);
        var message = string.Create(CultureInfo.InvariantCulture,
            $"crystalline fraction fell to {first.CrystallineFraction:0.###} (below {level:0.###}; peak {_peak.CrystallineFraction:0.###} at frame {_peak.Frame}): {mode} melting");
        var values = new Dictionary<string, double>
        {
            ["crystalline_fraction"] = first.CrystallineFraction,
            ["level"] = level,
            ["peak_fraction"] = _peak.CrystallineFraction,
            ["peak_frame"] = _peak.Frame,
            ["rearm_at"] = _rearmAt,
        };
        if (!double.IsNaN(surfaceLoss))
        {
            values["surface_loss"] = surfaceLoss;
            values["core_loss"] = coreLoss;
        }
        return [FrameEvents.Create(Kind, first, arrivedAt, message, values, new() { ["mode"] = mode })];
    }

    public void Reset()
    {
        _peak = null;
        _rearmAt = _options.ArmAbove;
        _trigger.Reset();
    }

    /// <summary>The fraction below which the crystal counts as melting, given its running maximum.</summary>
    private double Level(double peak) =>
        Math.Max(_options.Below ?? double.NegativeInfinity, _options.Drop is { } drop ? (1 - drop) * peak : double.NegativeInfinity);
}
