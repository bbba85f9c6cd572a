
namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// Counts consecutive frames on which a condition holds and remembers the first of them, so a detector can demand k
/// frames in a row (a one-frame spike is noise) and still report where the change began rather than where it was
/// confirmed.
/// </summary>
internal sealed class FrameStreak
{
    private readonly int _length;

    public FrameStreak(int length)
    {
        OptionChecks.AtLeastOne(length, "consecutive");
        _length = length;
    }

    /// <summary>The first frame of the current streak; null when the condition did not hold on the last frame.</summary>
    public FrameSummary? First { get; private set; }

    public int Count { get; private set; }

    /// <summary>Adds a frame; true on the frame that makes the streak k long (once, until <see cref="Reset"/>).</summary>
    public bool Advance(bool holds, FrameSummary summary)
    {
        if (!holds)
        {
            Reset();
            return false;
        }
        if (Count == 0) First = summary;
        Count++;
        return Count == _length;
    }

    public void Reset()
    {
        First = null;
        Count = 0;
    }
}
