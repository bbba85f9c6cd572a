using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// Whether silos add up: <see cref="LiveLoad"/> on a <see cref="LiveCluster"/> of K silo processes (1, 2, 4 unless
/// <c>--silos</c> says otherwise) that meet in a real <c>redis-server</c>, each pinned to cores of its own
/// (<c>--cores-per-silo</c>, default 2 where there are 8 cores or more, else 1), with N runs per silo (<c>--runs</c>,
/// default 100 per core of a silo: the 200 runs of <c>live-capacity</c> for a 2-core silo) of 10976 LJ atoms each writing
/// a frame every 2.5 s. A level holds as in <c>live-capacity</c>; <c>weak_scaling</c> is the frames/s sustained over K
/// times those of one silo with the same runs per silo (1 where both keep up with what is offered). Redis and this
/// process (the writer and the client) are not pinned: on a machine with cores to spare they run beside the silos.
/// </summary>
public sealed class SiloScaleoutCase : IBenchCase
{
    private static readonly int[] DefaultSiloCounts = [1, 2, 4];
    private static readonly TimeSpan FramePeriod = TimeSpan.FromSeconds(2.5);
    private const int RunsPerCore = 100;

    public string Name => "silo-scaleout";

    public string Description =>
        "K = 1/2/4 silos of one Redis cluster, each a process on cores of its own, with 100 runs per silo core of 10976 LJ atoms writing a frame every 2.5 s";

    public IReadOnlyList<Tool> Requires => [Tools.Redis, Tools.Taskset];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var cores = AllowedCores();
        int perSilo = context.CoresPerSilo ?? (cores.Count >= 8 ? 2 : 1);
        var siloCounts = (context.Silos ?? DefaultSiloCounts).Where(k => k * perSilo <= cores.Count).ToList();
        if (siloCounts.Count == 0)
            throw new BenchException($"no cluster of {string.Join("/", context.Silos ?? DefaultSiloCounts)} silos of {perSilo} cores fits the " +
                                     $"{cores.Count} cores this process may use");
        var source = context.Data("make-live.sh", "lj11k-quench-24.dump");
        var frames = DumpFrames.Split(File.ReadAllBytes(source));
        int atoms = LiveWarmUp.SummarizeTwice(source, Name);
        string loadBefore = BenchContext.MachineLoad();
        var lines = new List<string>();
        foreach (int runsPerSilo in context.Runs ?? [RunsPerCore * perSilo])
        {
            double? oneSiloFps = null;
            int? largest = null;
            foreach (int silos in siloCounts)
            {
                var pinned = Enumerable.Range(0, silos).Select(k => string.Join(',', cores.Skip(k * perSilo).Take(perSilo))).ToList();
                int runs = runsPerSilo * silos;
                var level = LiveLoad.MeasureAsync(context, Name, frames, runs, FramePeriod,
                    async directory => await LiveCluster.StartAsync(directory, pinned, source)).GetAwaiter().GetResult();
                if (silos == 1) oneSiloFps = level.SustainedFps;
                if (level.Held) largest = silos;
                double weak = oneSiloFps is { } one ? level.SustainedFps / (silos * one) : double.NaN;
                lines.Add($"{Name} silos={silos} cores_per_silo={perSilo} runs={runs} held={(level.Held ? "yes" : "no")} p50_ms={F(level.P50)} " +
                          $"p99_ms={F(level.P99)} max_frames_behind={level.MaxFramesBehind} offered_fps={F(level.OfferedFps, 1)} " +
                          $"sustained_fps={F(level.SustainedFps, 1)} weak_scaling={F(weak, 2)} atom_frames_per_s={F(level.SustainedFps * atoms, 0)} " +
                          $"cpu_ms_per_frame={F(level.CpuMsPerFrame, 1)} runs_per_silo={string.Join('/', level.RunsPerSilo)} missing={level.Missing} " +
                          $"mb_per_idle_run={F(level.MbPerIdleRun, 2)}");
                lines.Add($"  silos={silos} on cores {string.Join(" | ", pinned)}: median latency of the first {LiveLoad.TrendFrames} measured frames " +
                          $"{F(level.EarlyP50, 1)} ms, of the last {LiveLoad.TrendFrames} {F(level.LateP50, 1)} ms; read-to-summary p50 " +
                          $"{F(Median(level.ReadToSummaryMs), 1)} ms; last summary {F(level.DrainSeconds, 2)} s after the last write; writer lag max " +
                          $"{F(level.WriterLagMs, 1)} ms");
            }
            lines.Add($"  {runsPerSilo} runs per silo: the largest cluster held: {(largest is { } n ? $"{n} silos" : "none of those tried")}");
        }
        lines.Add($"  {LiveLoad.DescribeFrames(context, atoms, frames, FramePeriod)}; held = every frame " +
                  $"summarised, lag < {LiveLoad.HoldFramesBehind} frames, p99 written -> summary on the all-runs stream (heard by this process as an " +
                  $"Orleans client) < {LiveLoad.HoldP99Ms:0} ms; cpu_ms_per_frame = the silo processes' CPU over the measured frames; " +
                  "mb_per_idle_run = the silos' working sets after full collections once every run caught up, less before registering, per run");
        lines.Add($"  shared machine: {loadBefore} before, {BenchContext.MachineLoad()} after; this process may use cores {string.Join(',', cores)}");
        return lines;
    }

    /// <summary>The CPUs this process may run on (its affinity, as <c>Cpus_allowed_list</c> gives it), in order.</summary>
    private static List<int> AllowedCores()
    {
        var line = File.Exists("/proc/self/status")
            ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
            : null;
        if (line is null) return [.. Enumerable.Range(0, Environment.ProcessorCount)];
        var cores = new List<int>();
        foreach (var part in line["Cpus_allowed_list:".Length..].Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var ends = part.Split('-');
            int first = int.Parse(ends[0]), last = int.Parse(ends[^1]);
            for (int core = first; core <= last; core++) cores.Add(core);
        }
        return cores;
    }
}
