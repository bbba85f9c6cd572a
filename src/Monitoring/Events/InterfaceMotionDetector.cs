using System.Globalization;

namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// Fires <see cref="RunEventKinds.InterfaceMotion"/> on either of two rules of <see cref="InterfaceMotionOptions"/>,
/// each with its own hysteresis: Labels <c>trigger</c> = <c>speed</c> when |v| stays at or above the speed for k
/// frames (re-armed below <see cref="InterfaceMotionOptions.RearmFraction"/> of it), or <c>boundary</c> (with
/// <c>side</c> = <c>lower</c>/<c>upper</c>) when the position stays within the margin of a bound for k frames
/// (re-armed at twice the margin in from both bounds). Frames without interface measures break streaks and re-arm nothing.
/// </summary>
public sealed class InterfaceMotionDetector : IFrameDetector
{
    public const string SpeedTrigger = "speed";
    public const string BoundaryTrigger = "boundary";

    private readonly InterfaceMotionOptions _options;
    private readonly HysteresisTrigger _speed;
    private readonly HysteresisTrigger _boundary;

    public InterfaceMotionDetector(InterfaceMotionOptions? options = null)
    {
        _options = options ?? new InterfaceMotionOptions();
        _options.Validate();
        _speed = new HysteresisTrigger(_options.Consecutive);
        _boundary = new HysteresisTrigger(_options.Consecutive);
    }

    public string Kind => RunEventKinds.InterfaceMotion;

    public IReadOnlyList<RunEvent> Observe(FrameSummary summary, DateTimeOffset arrivedAt)
    {
        List<RunEvent>? events = null;
        if (SpeedEvent(summary, arrivedAt) is { } moving) (events ??= []).Add(moving);
        if (BoundaryEvent(summary, arrivedAt) is { } reached) (events ??= []).Add(reached);
        return events ?? (IReadOnlyList<RunEvent>)[];
    }

    public void Reset()
    {
        _speed.Reset();
        _boundary.Reset();
    }

    private RunEvent? SpeedEvent(FrameSummary summary, DateTimeOffset arrivedAt)
    {
        if (_options.Speed is not { } limit) return null;
        double speed = summary.InterfaceVelocity is { } v ? Math.Abs(v) : double.NaN;
        if (_speed.Step(summary, fires: speed >= limit, rearms: speed < _options.RearmFraction * limit) is not { } first) return null;
        double velocity = first.InterfaceVelocity!.Value;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"interface moving at {velocity:0.###} (|v| ≥ {limit:0.###}) since frame {first.Frame}, for {_options.Consecutive} frames");
        return FrameEvents.Create(Kind, first, arrivedAt, message,
            new() { ["interface_velocity"] = velocity, ["speed"] = limit, ["consecutive"] = _options.Consecutive },
            new() { ["trigger"] = SpeedTrigger });
    }

    private RunEvent? BoundaryEvent(FrameSummary summary, DateTimeOffset arrivedAt)
    {
        if (_options.Bounds is not { } bounds) return null;
        var (lower, upper) = bounds;
        double margin = _options.MarginFraction * (upper - lower);
        double position = summary.InterfacePosition ?? double.NaN;
        bool near = position <= lower + margin || position >= upper - margin;
        bool inside = position >= lower + 2 * margin && position <= upper - 2 * margin;
        if (_boundary.Step(summary, fires: near, rearms: inside) is not { } first) return null;
        double at = first.InterfacePosition!.Value;
        bool lowerSide = at - lower <= upper - at;
        double bound = lowerSide ? lower : upper;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"interface at {at:0.###} reached the {(lowerSide ? "lower" : "upper")} bound {bound:0.###} (margin {margin:0.###})");
        return FrameEvents.Create(Kind, first, arrivedAt, message,
            new() { ["interface_position"] = at, ["bound"] = bound, ["margin"] = margin },
            new() { ["trigger"] = BoundaryTrigger, ["side"] = lowerSide ? "lower" : "upper" });
    }
}
