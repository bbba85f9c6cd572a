using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.History;

/// <summary>
/// Picks, from a run's summaries, the ones a chart of a few thousand points needs so that no spike is lost: the summaries
/// are split into buckets of consecutive frames, and in each bucket the summaries that hold the minimum and the maximum of
/// each plotted quantity are kept (real summaries, not averages), with the first and the last. As many buckets are used as
/// the budget allows. Fewer summaries than the budget are all kept.
/// </summary>
public static class SummaryDownsampler
{
    /// <summary>The plotted quantities besides each class's count, as the contract names them.</summary>
    public static IReadOnlyList<(string Name, Func<FrameSummary, double?> Value)> Quantities { get; } =
    [
        ("n_max", s => s.NMax),
        ("crystalline_fraction", s => s.CrystallineFraction),
        ("mean_q6", s => s.MeanQ6),
        ("interface_position", s => s.InterfacePosition),
        ("interface_velocity", s => s.InterfaceVelocity),
        ("frames_behind", s => s.FramesBehind),
        ("latency_ms", s => s.LatencyMs),
    ];

    /// <summary>
    /// The summary updates of <paramref name="summaries"/> (in sequence order) to draw with at most
    /// <paramref name="points"/> points, in the same order.
    /// </summary>
    public static IReadOnlyList<RunUpdate> Select(IReadOnlyList<RunUpdate> summaries, int points)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 1);
        if (summaries.Count <= points) return summaries;
        var columns = Columns(summaries);
        var kept = new bool[summaries.Count];
        // The kept count grows with the number of buckets (not strictly): the most buckets whose extremes fit the budget.
        int lo = 1, hi = Math.Min(points, summaries.Count);
        if (Mark(columns, 1, kept) > points) return Trimmed(summaries, columns, points);
        while (lo < hi)
        {
            int mid = lo + (hi - lo + 1) / 2;
            if (Mark(columns, mid, kept) <= points) lo = mid;
            else hi = mid - 1;
        }
        Mark(columns, lo, kept);
        var selected = new List<RunUpdate>();
        for (int i = 0; i < kept.Length; i++)
            if (kept[i]) selected.Add(summaries[i]);
        return selected;
    }

    /// <summary>Each quantity's values by row (NaN where a summary has none): one pass over the summaries, then array scans.</summary>
    private static double[][] Columns(IReadOnlyList<RunUpdate> summaries)
    {
        var classes = summaries.SelectMany(u => u.Summary!.ClassCounts.Keys).Distinct(StringComparer.Ordinal).ToArray();
        var columns = new double[Quantities.Count + classes.Length][];
        for (int q = 0; q < columns.Length; q++) columns[q] = new double[summaries.Count];
        for (int i = 0; i < summaries.Count; i++)
        {
            var summary = summaries[i].Summary ?? throw new ArgumentException($"update {summaries[i].Sequence} is not a summary", nameof(summaries));
            for (int q = 0; q < Quantities.Count; q++) columns[q][i] = Quantities[q].Value(summary) ?? double.NaN;
            for (int c = 0; c < classes.Length; c++) columns[Quantities.Count + c][i] = summary.CountOf(classes[c]);
        }
        return columns;
    }

    /// <summary>Marks the first and last rows and each bucket's extremes for <paramref name="buckets"/> buckets; returns how many are marked.</summary>
    private static int Mark(double[][] columns, int buckets, bool[] kept)
    {
        Array.Clear(kept);
        int rows = kept.Length;
        kept[0] = kept[rows - 1] = true;
        for (int b = 0; b < buckets; b++)
        {
            int start = (int)((long)b * rows / buckets), end = (int)((long)(b + 1) * rows / buckets);
            foreach (var column in columns)
            {
                var (min, max) = Extremes(column, start, end);
                if (min >= 0) kept[min] = kept[max] = true;
            }
        }
        return kept.Count(k => k);
    }

    /// <summary>The rows of the first minimum and the first maximum of <paramref name="column"/> in [start, end), (-1, -1) when it has no value there.</summary>
    private static (int Min, int Max) Extremes(double[] column, int start, int end)
    {
        int min = -1, max = -1;
        for (int i = start; i < end; i++)
        {
            double v = column[i];
            if (double.IsNaN(v)) continue;
            if (min < 0 || v < column[min]) min = i;
            if (max < 0 || v > column[max]) max = i;
        }
        return (min, max);
    }

    /// <summary>A budget too small even for one bucket: the overall extremes, quantity by quantity in their order, as far as it goes.</summary>
    private static IReadOnlyList<RunUpdate> Trimmed(IReadOnlyList<RunUpdate> summaries, double[][] columns, int points)
    {
        var rows = new SortedSet<int>();
        foreach (var column in columns)
        {
            var (min, max) = Extremes(column, 0, summaries.Count);
            foreach (int row in new[] { max, min })
                if (row >= 0 && rows.Count < points) rows.Add(row);
        }
        return rows.Select(i => summaries[i]).ToArray();
    }
}
