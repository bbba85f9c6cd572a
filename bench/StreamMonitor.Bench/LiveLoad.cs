using System.Diagnostics;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench;

/// <summary>
/// The load generator of the live cases, like the fake device gateway of Orleans' GPSTracker sample: N runs on a
/// <see cref="LiveSilo"/> (the server's silo configuration) or a <see cref="LiveCluster"/>, each on its own growing
/// file, and a writer thread that appends the frames of a real <c>lmp</c> dump to every file at one frame per
/// <c>period</c>, staggered evenly across the runs, each frame in one write + flush, stamping the time right after the
/// write. Every run's first frame is written
/// alone and awaited, so model loading does not count as backlog; the first <see cref="WarmupFrames"/> frames of each run
/// are left out. It measures each frame's time from written to its summary on the all-runs stream, how far behind the
/// file each summary was (<c>FrameSummary.FramesBehind</c>), the frames/s sustained, the silos' CPU time, how the runs
/// spread over the silos, and the memory the runs hold once they have caught up and wait for the next frame. Each run
/// gets the dump's frames once, or, with <c>--seconds S</c>, for S seconds, the dump played over and over
/// (<see cref="DumpFrames.Replay"/>): long enough for runs to reach their steady state (a run keeps its last 128 updates
/// and appends its history in batches, which 24 frames do not fill).
/// </summary>
public static class LiveLoad
{
    public const int WarmupFrames = 2;
    public const int TrendFrames = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);
    // Lets the last frames' garbage, checkpoints and stream deliveries finish before the idle memory is read.
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(3);

    /// <summary>A level holds when its p99 from frame written to summary published stays under this...</summary>
    public const double HoldP99Ms = 1000;

    /// <summary>...no summary was this many frames or more behind its file, and every measured frame was summarised.</summary>
    public const long HoldFramesBehind = 2;

    public sealed record Level(
        int Runs, TimeSpan Period, double[] LatenciesMs, double[] ReadToSummaryMs, int Missing, double OfferedFps, double SustainedFps,
        double DrainSeconds, double EarlyP50, double LateP50, double WriterLagMs, long MaxFramesBehind, double MbPerIdleRun)
    {
        /// <summary>The silos' CPU seconds from the first scheduled write until the last summary arrived (or the drain timed out).</summary>
        public double CpuSeconds { get; init; }

        /// <summary>The mean size of a run's persisted state once every run caught up, in kB (see <see cref="ILiveHost.RunStateBytes"/>).</summary>
        public double RunStateKb { get; init; } = double.NaN;

        /// <summary>Runs hosted by each silo, fewest first.</summary>
        public IReadOnlyList<int> RunsPerSilo { get; init; } = [];

        /// <summary><see cref="CpuSeconds"/> per frame written in that time, in ms.</summary>
        public double CpuMsPerFrame => CpuSeconds * 1000 / (Runs * (WrittenPerRun - 1));

        /// <summary>Frames written to each run's file, the first (written alone, before the schedule) included.</summary>
        public int WrittenPerRun { get; init; }

        public bool Held => Missing == 0 && MaxFramesBehind < HoldFramesBehind && P99 < HoldP99Ms;

        public double P50 => Percentile(LatenciesMs, 50);
        public double P99 => Percentile(LatenciesMs, 99);
        public double Max => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs.Max();
    }

    /// <summary>Frames written to each run: the dump's, or, with <c>--seconds</c>, as many as that time holds (the dump's at least).</summary>
    public static int FramesPerRun(BenchContext context, int dumpFrames, TimeSpan period) =>
        context.Seconds is { } seconds ? Math.Max(dumpFrames, 1 + (int)Math.Ceiling(seconds / period.TotalSeconds)) : dumpFrames;

    /// <summary>
    /// "10976-atom frames of an lmp LJ quench ..., 24 per run, ...": what each run is fed, for the human lines of the cases
    /// that drive this load.
    /// </summary>
    public static string DescribeFrames(BenchContext context, int atoms, List<byte[]> frames, TimeSpan period)
    {
        int perRun = FramesPerRun(context, frames.Count, period);
        string replayed = perRun > frames.Count ? $" ({frames.Count} in the dump, played over and over)" : "";
        return $"{atoms}-atom frames ({frames.Average(f => f.Length) / 1e3:0} kB) of an lmp LJ quench (in.lj-quench cells=14), {perRun} per run" +
               $"{replayed}, each in one write+flush, a frame per run every {period.TotalSeconds} s staggered across the runs; first " +
               $"{WarmupFrames} frames of each run are warm-up";
    }

    /// <param name="startHost">Starts the silo(s) with state under the given folder; null for a <see cref="LiveSilo"/>.</param>
    public static async Task<Level> MeasureAsync(BenchContext context, string name, List<byte[]> frames, int runs, TimeSpan period,
        Func<string, Task<ILiveHost>>? startHost = null)
    {
        startHost ??= async directory => await LiveSilo.StartAsync(directory);
        int count = FramesPerRun(context, frames.Count, period);
        var written = new long[runs, count];
        var arrived = new long[runs, count];
        var readToSummaryMs = new double[runs, count];
        long maxBehind = 0;
        int arrivals = 0, firstArrivals = 0;
        var runIds = Enumerable.Range(0, runs).Select(i => $"{name}-{runs}-{i}").ToArray();
        var runOf = runIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var dir = Path.Combine(context.DataDir, $"{name}-{Environment.ProcessId}-{runs}");
        try
        {
            Console.Error.WriteLine($"[{name}] {runs} runs: starting the silo and registering");
            await using var silo = await startHost(Path.Combine(dir, "silo"));
            await silo.Runs.SubscribeAllRunsAsync(update =>
            {
                long now = Stopwatch.GetTimestamp();
                if (update.Summary is not { } s || !runOf.TryGetValue(s.RunId, out int run) || s.Frame >= count) return;
                arrived[run, s.Frame] = now;
                readToSummaryMs[run, s.Frame] = s.LatencyMs;
                if (s.Frame >= WarmupFrames && s.FramesBehind is { } behind)
                {
                    long seen;
                    while (behind > (seen = Interlocked.Read(ref maxBehind)) && Interlocked.CompareExchange(ref maxBehind, behind, seen) != seen)
                    {
                    }
                }
                if (s.Frame == 0) Interlocked.Increment(ref firstArrivals);
                Interlocked.Increment(ref arrivals);
            });
            long workingSetBefore = await silo.SettledWorkingSetAsync();
            using var files = new GrowingDumps(dir, "run", runs);
            await Task.WhenAll(runIds.Select((id, i) => silo.Runs.RegisterAsync(id, files.PathOf(i))));

            for (int i = 0; i < runs; i++) written[i, 0] = files.Append(i, DumpFrames.Replay(frames, 0));
            if (!await LiveRuns.WaitUntilAsync(() => Volatile.Read(ref firstArrivals) >= runs, StartTimeout))
                throw new BenchException($"{Volatile.Read(ref firstArrivals)} of {runs} runs summarised their first frame within " +
                                         $"{StartTimeout.TotalSeconds:0} s" + LiveRuns.Describe(await silo.Runs.FailuresAsync(runIds)));

            Console.Error.WriteLine($"[{name}] {runs} runs: writing {count - 1} more frames per run, " +
                                    $"{runs / period.TotalSeconds:0.#} frames/s in all");
            double cpuBefore = silo.CpuSeconds();
            double lagMs = await files.WriteScheduledAsync(k => DumpFrames.Replay(frames, k), 1, count, period, written, $"{name} writer");
            if (!await LiveRuns.WaitUntilAsync(() => Volatile.Read(ref arrivals) >= runs * count, DrainTimeout))
                Console.Error.WriteLine($"[{name}] {runs} runs: {runs * count - Volatile.Read(ref arrivals)} summaries still missing");
            double cpuSeconds = silo.CpuSeconds() - cpuBefore;
            if (await silo.Runs.FailuresAsync(runIds) is { Count: > 0 } failed) throw new BenchException("pipeline failed" + LiveRuns.Describe(failed));
            await Task.Delay(IdleSettle);
            double mbPerRun = (await silo.SettledWorkingSetAsync() - workingSetBefore) / 1e6 / runs;
            return Summarise(runs, period, written, arrived, readToSummaryMs, lagMs, Interlocked.Read(ref maxBehind), mbPerRun) with
            {
                CpuSeconds = cpuSeconds,
                WrittenPerRun = count,
                RunsPerSilo = await silo.Runs.RunsPerSiloAsync(runIds),
                RunStateKb = silo.RunStateBytes() / 1e3,
            };
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static Level Summarise(int runs, TimeSpan period, long[,] written, long[,] arrived, double[,] readToSummaryMs, double writerLagMs,
        long maxBehind, double mbPerRun)
    {
        int count = written.GetLength(1);
        var latencies = new List<double>();
        var readToSummary = new List<double>();
        var early = new List<double>();
        var late = new List<double>();
        long firstWrite = long.MaxValue, lastWrite = long.MinValue, lastArrival = long.MinValue;
        int missing = 0;
        for (int i = 0; i < runs; i++)
            for (int k = WarmupFrames; k < count; k++)
            {
                firstWrite = Math.Min(firstWrite, written[i, k]);
                lastWrite = Math.Max(lastWrite, written[i, k]);
                if (arrived[i, k] == 0)
                {
                    missing++;
                    continue;
                }
                double ms = Stopwatch.GetElapsedTime(written[i, k], arrived[i, k]).TotalMilliseconds;
                latencies.Add(ms);
                readToSummary.Add(readToSummaryMs[i, k]);
                if (k < WarmupFrames + TrendFrames) early.Add(ms);
                if (k >= count - TrendFrames) late.Add(ms);
                lastArrival = Math.Max(lastArrival, arrived[i, k]);
            }
        // From the first measured write to the last summary: a pipeline that keeps up delivers the offered rate (the
        // intervals between writes over their span); a backlog stretches the span.
        double sustained = latencies.Count < 2
            ? double.NaN
            : (latencies.Count - 1) / Stopwatch.GetElapsedTime(firstWrite, lastArrival).TotalSeconds;
        double drain = latencies.Count == 0 ? double.NaN : Stopwatch.GetElapsedTime(lastWrite, lastArrival).TotalSeconds;
        return new Level(runs, period, [.. latencies], [.. readToSummary], missing, runs / period.TotalSeconds, sustained, drain,
            Median(early), Median(late), writerLagMs, maxBehind, mbPerRun);
    }
}
