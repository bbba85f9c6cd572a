using System.Diagnostics;
using StreamMonitor.Monitoring;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// End-to-end latency of the live pipeline: from a frame's bytes written to a trajectory file to that frame's summary
/// arriving on the all-runs stream, through the real grains (a <see cref="LiveSilo"/> configured as the server's; per
/// run a run grain whose pipeline tails, summarises, reports the frame, checkpoints it in SQLite and publishes it).
/// For 1, 10 and 50 concurrent runs, each on its own file, a writer thread appends the frames of a real 10976-atom LJ
/// quench (lmp) at one frame per second per run, staggered evenly across the runs, each frame in one write + flush,
/// and stamps the time right after the write. Every run's first frame is written alone and awaited, so model loading
/// does not count as backlog; the first <see cref="WarmupFrames"/> frames of each run are left out. When the offered
/// frames outrun the machine, summaries queue up: the case then reports the frames/s actually sustained, how long after
/// the last write the last summary came, and the latency of early against late frames, not only percentiles.
/// </summary>
public sealed class LiveLatencyCase : IBenchCase
{
    private static readonly int[] RunCounts = [1, 10, 50];
    private static readonly TimeSpan FramePeriod = TimeSpan.FromSeconds(1);
    private const int WarmupFrames = LiveLoad.WarmupFrames;
    private const int TrendFrames = LiveLoad.TrendFrames;
    private const int GoalRuns = 10;
    private const double GoalP99Ms = 100;

    public string Name => "live-latency";

    public string Description =>
        "frame written -> its summary on the all-runs stream, real grain pipeline, 1/10/50 runs of 10976 LJ atoms at 1 frame/s each, ms";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var source = context.Data("make-live.sh", "lj11k-quench-24.dump");
        var frames = DumpFrames.Split(File.ReadAllBytes(source));
        if (frames.Count <= WarmupFrames + TrendFrames)
            throw new BenchException($"{source} has {frames.Count} frames; delete it to regenerate");
        int atoms = LiveWarmUp.SummarizeTwice(source, Name);
        string loadBefore = BenchContext.MachineLoad();
        var levels = RunCounts.Select(n => LiveLoad.MeasureAsync(context, Name, frames, n, FramePeriod).GetAwaiter().GetResult()).ToList();

        var lines = levels.Select(l =>
            $"{Name} runs={l.Runs} p50_ms={F(l.P50)} p99_ms={F(l.P99)} max_ms={F(l.Max)} frames={l.LatenciesMs.Length} " +
            $"offered_fps={F(l.OfferedFps, 1)} sustained_fps={F(l.SustainedFps, 1)}").ToList();
        lines.Add($"  {LiveLoad.DescribeFrames(context, atoms, frames, FramePeriod)}, after every frame was summarised twice in process to " +
                  "compile the shared code; latency = summary received from RunStreams.AllRuns (in-process subscriber) - end of the write");
        lines.Add("  read-to-summary below is FrameSummary.LatencyMs (parse, waiting behind earlier frames, summarize); the rest of the latency " +
                  "is the tailer noticing the write, the grain call with its SQLite checkpoint, and stream delivery");
        foreach (var l in levels)
        {
            lines.Add($"  runs={l.Runs}: read-to-summary p50 {F(Median(l.ReadToSummaryMs), 1)} ms; median latency of the first {TrendFrames} " +
                      $"measured frames {F(l.EarlyP50, 1)} ms, of the last {TrendFrames} {F(l.LateP50, 1)} ms; last summary " +
                      $"{F(l.DrainSeconds, 2)} s after the last write; writer lag max {F(l.WriterLagMs, 1)} ms");
            if (l.Missing > 0)
                lines.Add($"  WARNING: runs={l.Runs}: {l.Missing} measured frames had no summary a minute after the last write " +
                          "(left out of the percentiles, which therefore understate the backlog)");
        }
        var goal = levels.Single(l => l.Runs == GoalRuns);
        lines.Add($"  goal (information, not a check): {GoalRuns} runs p99 < {GoalP99Ms:0} ms on 2 cores; measured {F(goal.P99)} ms " +
                  $"({(goal.P99 < GoalP99Ms ? "met" : "missed")}) on {Environment.ProcessorCount} cores");
        lines.Add($"  shared machine: {loadBefore} before, {BenchContext.MachineLoad()} after");
        return lines;
    }
}
