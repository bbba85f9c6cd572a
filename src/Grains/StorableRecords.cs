using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains;

/// <summary>
/// Monitoring records with plain collections in place of whatever types they were built with (collection expressions give
/// compiler-generated types), so that a JSON storage serializer that records runtime types can read them back.
/// </summary>
public static class StorableRecords
{
    public static FrameSummary Of(FrameSummary s) => s with
    {
        ClassCounts = new Dictionary<string, int>(s.ClassCounts),
        CrystallineClasses = s.CrystallineClasses.ToArray(),
        LargestCenter = s.LargestCenter?.ToArray(),
    };

    public static RunEvent Of(RunEvent e) => e with
    {
        Values = new Dictionary<string, double>(e.Values),
        Labels = new Dictionary<string, string>(e.Labels),
    };

    public static RunUpdate Of(RunUpdate u) => u with
    {
        Summary = u.Summary is { } s ? Of(s) : null,
        Event = u.Event is { } e ? Of(e) : null,
    };
}
