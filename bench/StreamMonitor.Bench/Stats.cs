namespace StreamMonitor.Bench;

public static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    /// <summary>Items per second of <paramref name="work"/> (which handles <paramref name="items"/> a call), repeated for at least 0.3 s.</summary>
    public static double Rate(Action work, int items)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        int calls = 0;
        do
        {
            work();
            calls++;
        }
        while (System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds < 0.3);
        return (double)calls * items / System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Linear-interpolated percentile (0–100).</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return double.NaN;
        double rank = p / 100 * (v.Length - 1);
        int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
        return v[lo] + (v[hi] - v[lo]) * (rank - lo);
    }

    /// <summary>Invariant, compact number for key=value lines.</summary>
    public static string F(double value, int decimals = 2) =>
        double.IsFinite(value) ? Math.Round(value, decimals).ToString(System.Globalization.CultureInfo.InvariantCulture) : "nan";
}
