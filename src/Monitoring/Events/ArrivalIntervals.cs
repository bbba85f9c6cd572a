namespace StreamMonitor.Monitoring.Events;

/// <summary>The last few intervals between frame arrivals, in a fixed ring (state stays small), and their median.</summary>
internal sealed class ArrivalIntervals
{
    private readonly TimeSpan[] _ring;
    private int _next;

    public ArrivalIntervals(int window)
    {
        OptionChecks.AtLeastOne(window, "window");
        _ring = new TimeSpan[window];
    }

    /// <summary>Intervals held (up to the window).</summary>
    public int Count { get; private set; }

    /// <summary>Adds one; a negative interval (the clock stepped back) counts as zero.</summary>
    public void Add(TimeSpan interval)
    {
        _ring[_next] = interval < TimeSpan.Zero ? TimeSpan.Zero : interval;
        _next = (_next + 1) % _ring.Length;
        Count = Math.Min(Count + 1, _ring.Length);
    }

    /// <summary>The median of the intervals held (the mean of the middle two for an even count); zero when empty.</summary>
    public TimeSpan Median()
    {
        if (Count == 0) return TimeSpan.Zero;
        var sorted = _ring[..Count];
        Array.Sort(sorted);
        int middle = Count / 2;
        return Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
