using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Events;

namespace StreamMonitor.Monitoring.Tests.Events;

/// <summary>
/// The one place detector tests build <see cref="FrameSummary"/> sequences: a 1000-row run with classes fcc, hcp
/// (crystalline) and liquid; frame i at step 100·i, time 0.5·i, arriving i seconds after <see cref="Start"/>.
/// </summary>
internal static class Summaries
{
    public const string RunId = "run-1";
    public const int Rows = 1000;

    public static DateTimeOffset Start { get; } = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset ArrivalOf(long frame) => Start.AddSeconds(frame);

    /// <summary>A liquid frame: no crystal, nothing optional measured.</summary>
    public static FrameSummary Frame(long frame) => new()
    {
        RunId = RunId,
        Frame = frame,
        Step = frame * 100,
        Time = frame * 0.5,
        Model = "lj",
        Count = Rows,
        ClassCounts = Census(0, 0),
        Undefined = 0,
        Crystalline = 0,
        CrystallineClasses = ["fcc", "hcp"],
        NMax = 0,
        LatencyMs = 1,
    };

    /// <summary>A frame with a consistent census: the crystal is one cluster, dominated by the larger form.</summary>
    public static FrameSummary Crystal(long frame, int fcc, int hcp = 0, int? surface = null, int? core = null) => Frame(frame) with
    {
        ClassCounts = Census(fcc, hcp),
        Crystalline = fcc + hcp,
        DominantCrystal = fcc + hcp == 0 ? null : fcc >= hcp ? "fcc" : "hcp",
        NMax = fcc + hcp,
        Surface = surface,
        Core = core,
    };

    /// <summary>Frames 0, 1, ... with these largest-cluster sizes.</summary>
    public static IEnumerable<FrameSummary> WithNMax(params int[] nMax) => nMax.Select((n, i) => Frame(i) with { NMax = n });

    /// <summary>Frames 0, 1, ... with these crystalline fractions (fcc crystal).</summary>
    public static IEnumerable<FrameSummary> WithFraction(params double[] fractions) =>
        fractions.Select((f, i) => Crystal(i, (int)Math.Round(f * Rows)));

    /// <summary>Frames 0, 1, ... whose dominant crystal (80 rows of it, 40 of the other form) is the given class.</summary>
    public static IEnumerable<FrameSummary> WithDominant(params string[] dominant) =>
        dominant.Select((d, i) => d == "fcc" ? Crystal(i, 80, 40) : Crystal(i, 40, 80));

    /// <summary>Frames 0, 1, ... with these interface velocities.</summary>
    public static IEnumerable<FrameSummary> WithVelocity(params double?[] velocities) =>
        velocities.Select((v, i) => Frame(i) with { InterfaceVelocity = v });

    /// <summary>Frames 0, 1, ... with these interface positions.</summary>
    public static IEnumerable<FrameSummary> WithPosition(params double?[] positions) =>
        positions.Select((p, i) => Frame(i) with { InterfacePosition = p });

    /// <summary>Feeds the frames in order, each arriving at <see cref="ArrivalOf"/> its index, and collects every event.</summary>
    public static List<RunEvent> Run(IFrameDetector detector, IEnumerable<FrameSummary> frames) =>
        frames.SelectMany(f => detector.Observe(f, ArrivalOf(f.Frame))).ToList();

    /// <summary>The frames at which events fired.</summary>
    public static long?[] FramesOf(IEnumerable<RunEvent> events) => events.Select(e => e.Frame).ToArray();

    private static Dictionary<string, int> Census(int fcc, int hcp) => new() { ["fcc"] = fcc, ["hcp"] = hcp, ["liquid"] = Rows - fcc - hcp };
}
