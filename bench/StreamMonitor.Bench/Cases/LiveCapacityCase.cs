using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// How many live runs one silo holds: <see cref="LiveLoad"/> with N runs of 10976 LJ atoms each writing a frame every
/// 2.5 s, N = 25, 50, 100, 200 unless <c>--runs</c> says otherwise. A level holds when every measured frame was
/// summarised, no summary was 2 or more frames behind its file, and the p99 from frame written to summary published
/// stays under 1 s. Prints one line per N and the largest N that held; where it broke, the sustained against the offered
/// frames/s and the latency of early against late frames show how.
/// </summary>
public sealed class LiveCapacityCase : IBenchCase
{
    private static readonly int[] DefaultRunCounts = [25, 50, 100, 200];
    private static readonly TimeSpan FramePeriod = TimeSpan.FromSeconds(2.5);

    public string Name => "live-capacity";

    public string Description =>
        "runs one silo holds: 25/50/100/200 runs of 10976 LJ atoms writing a frame every 2.5 s; held = lag < 2 frames and p99 written->summary < 1 s";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var source = context.Data("make-live.sh", "lj11k-quench-24.dump");
        var frames = DumpFrames.Split(File.ReadAllBytes(source));
        int atoms = LiveWarmUp.SummarizeTwice(source, Name);
        string loadBefore = BenchContext.MachineLoad();
        var lines = new List<string>();
        int? largest = null;
        foreach (int runs in context.Runs ?? DefaultRunCounts)
        {
            var level = LiveLoad.MeasureAsync(context, Name, frames, runs, FramePeriod).GetAwaiter().GetResult();
            bool held = level.Held;
            if (held) largest = Math.Max(largest ?? 0, runs);
            lines.Add($"{Name} runs={runs} held={(held ? "yes" : "no")} p50_ms={F(level.P50)} p99_ms={F(level.P99)} max_frames_behind={level.MaxFramesBehind} " +
                      $"offered_fps={F(level.OfferedFps, 1)} sustained_fps={F(level.SustainedFps, 1)} atom_frames_per_s={F(level.SustainedFps * atoms, 0)} " +
                      $"cpu_ms_per_frame={F(level.CpuMsPerFrame, 1)} missing={level.Missing} mb_per_idle_run={F(level.MbPerIdleRun, 2)} " +
                      $"state_kb_per_run={F(level.RunStateKb, 1)}");
            lines.Add($"  runs={runs}: median latency of the first {LiveLoad.TrendFrames} measured frames {F(level.EarlyP50, 1)} ms, of the last " +
                      $"{LiveLoad.TrendFrames} {F(level.LateP50, 1)} ms; read-to-summary p50 {F(Median(level.ReadToSummaryMs), 1)} ms; last summary " +
                      $"{F(level.DrainSeconds, 2)} s after the last write; writer lag max {F(level.WriterLagMs, 1)} ms");
        }
        lines.Add($"  largest N held: {(largest is { } n ? n.ToString() : "none of those tried")} (goal, information only: 200 runs on 2 cores; " +
                  $"{Environment.ProcessorCount} cores here)");
        lines.Add($"  {LiveLoad.DescribeFrames(context, atoms, frames, FramePeriod)}; " +
                  "cpu_ms_per_frame = this process's CPU over the measured frames (the silo and the writer); mb_per_idle_run = working set after full " +
                  "collections once every run caught up, less before registering, per run; state_kb_per_run = the mean run state in the silo's " +
                  "database then, which each checkpoint (every frame) writes whole");
        lines.Add($"  shared machine: {loadBefore} before, {BenchContext.MachineLoad()} after");
        return lines;
    }
}
