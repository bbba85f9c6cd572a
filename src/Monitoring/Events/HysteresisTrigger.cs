
namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// The firing discipline the threshold detectors share: fire once the firing condition has held for k consecutive
/// frames, then stay silent until the re-arm condition has held for its own number of frames. Keeping the re-arm
/// condition apart from "not firing" (a second threshold, or leaving a basin) is what stops a quantity that hovers
/// at the threshold from firing on every wobble.
/// </summary>
internal sealed class HysteresisTrigger
{
    private readonly FrameStreak _fire;
    private readonly FrameStreak _rearm;
    private readonly bool _startArmed;

    /// <param name="consecutive">Frames in a row the firing condition must hold.</param>
    /// <param name="rearmConsecutive">Frames in a row the re-arm condition must hold.</param>
    /// <param name="startArmed">False where there must first be something to lose (melting needs a crystal).</param>
    public HysteresisTrigger(int consecutive, int rearmConsecutive = 1, bool startArmed = true)
    {
        _fire = new FrameStreak(consecutive);
        _rearm = new FrameStreak(rearmConsecutive);
        _startArmed = startArmed;
        Armed = startArmed;
    }

    public bool Armed { get; private set; }

    /// <summary>
    /// Takes one frame; returns the first frame of the streak that fired, or null. While disarmed only
    /// <paramref name="rearms"/> is looked at; a frame that re-arms is also tested for firing.
    /// </summary>
    public FrameSummary? Step(FrameSummary summary, bool fires, bool rearms)
    {
        if (!Armed)
        {
            if (!_rearm.Advance(rearms, summary)) return null;
            _rearm.Reset();
            Armed = true;
        }
        if (!_fire.Advance(fires, summary)) return null;
        var first = _fire.First;
        _fire.Reset();
        Armed = false;
        return first;
    }

    public void Reset()
    {
        _fire.Reset();
        _rearm.Reset();
        Armed = _startArmed;
    }
}
