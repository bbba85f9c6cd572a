namespace StreamMonitor.Analysis.Committor;

/// <summary>
/// The committor histogram of a candidate transition-state ensemble: the p_B of the shooting points a coordinate puts at
/// its transition (or, by default, those whose interval holds ½), in equal bins over [0, 1]. A good reaction coordinate
/// gives a histogram peaked at ½; a flat or U-shaped one says the coordinate misses a slow variable (Peters 2006).
/// </summary>
public sealed record CommittorHistogram(IReadOnlyList<int> Counts, int Points)
{
    public double BinWidth => 1.0 / Counts.Count;

    public static CommittorHistogram Of(IEnumerable<CommittorEstimate> points, int bins = 10, Func<CommittorEstimate, bool>? inEnsemble = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var counts = new int[bins];
        int total = 0;
        foreach (var point in points.Where(p => p.Decided > 0 && (inEnsemble ?? (e => e.MayBeTransitionState))(p)))
        {
            counts[Math.Min(bins - 1, (int)(point.PB * bins))]++;
            total++;
        }
        return new CommittorHistogram(counts, total);
    }
}
