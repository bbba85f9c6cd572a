using System.Diagnostics;
using System.Globalization;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// What one silo carries, for sizing a cluster: N runs (1, 4, 16, 64 unless <c>--runs</c> says otherwise) registered at
/// once on a <see cref="LiveSilo"/> (the server's silo configuration: SQLite state, memory streams, the default model),
/// each on its own copy of the 24-frame 10976-atom LJ quench with every frame already written, so the silo catches up
/// flat out. Measured: the wall time from registration to every run's last summary on the all-runs stream, atom-frames/s
/// over all runs, process CPU per atom-frame, and the memory once every run has caught up and follows a file that no
/// longer grows (what a live but quiet run costs); then the latency of one frame appended to an idle run. Each level runs
/// in a process of its own, so its peak working set and CPU time are its alone; one level runs again pinned to one core
/// (<c>taskset -c 0</c>: the process sees one core, so one compute slot) to show how the rate follows the cores, and one
/// and two 1000188-atom runs give the rate and the memory of a large system.
/// </summary>
public sealed class SiloSizingCase : IBenchCase
{
    private const string CaseName = "silo-sizing";
    private static readonly int[] DefaultRunCounts = [1, 4, 16, 64];
    // Two large runs as well as one: what a further large run costs in memory (a catch-up of one peaks at several GB).
    private static readonly int[] LargeRunCounts = [1, 2];
    // The one-core level: the run count nearest this, enough runs to keep every slot busy without a long run on one core.
    private const int OneCoreNear = 16;
    // Dumps under this are warmed up and probed for latency; a frame of the large one takes seconds, its rate is the point.
    private const long SmallDumpBytes = 64L << 20;
    private const int ProbeRuns = 8;
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);
    // Lets the last frames' garbage, checkpoints and stream deliveries finish before the idle memory is read.
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(3);

    public string Name => CaseName;

    public string Description =>
        "one silo: 1/4/16/64 runs of 10976 LJ atoms caught up at once (1 and 2 cores), 1 and 2 runs of 1000188; atom-frames/s, CPU per atom-frame, MB per idle run";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var small = context.Data("make-live.sh", "lj11k-quench-24.dump");
        var large = context.Data("make-live.sh", "lj1m-quench-4.dump");
        var counts = context.Runs ?? DefaultRunCounts;
        string loadBefore = BenchContext.MachineLoad();
        var levels = counts.Select(n => Measure(context, small, n, oneCore: false)).ToList();
        int oneCoreRuns = counts.MinBy(n => Math.Abs(n - OneCoreNear));
        var oneCore = Tools.Present(Tools.Taskset) ? Measure(context, small, oneCoreRuns, oneCore: true) : null;
        var big = LargeRunCounts.Select(n => Measure(context, large, n, oneCore: false)).ToList();

        var lines = levels.Select(l => l.Line).ToList();
        if (oneCore is not null) lines.Add(oneCore.Line);
        lines.AddRange(big.Select(l => l.Line));
        var first = levels[0];
        lines.Add($"  each run: its own copy of the {first.FramesPerRun}-frame {first.Atoms}-atom lmp LJ quench (in.lj-quench cells=14), every frame " +
                  "written before the run is registered, so the silo catches up flat out; each line is a process of its own hosting a silo as " +
                  "serve configures it (AddStreamMonitor: SQLite state, memory streams, model 'lj'), after every frame was parsed and " +
                  "summarised twice in process to compile the shared code");
        lines.Add("  atom_frames_per_s = atoms x frames / wall time from the first registration to the last summary on RunStreams.AllRuns " +
                  "(model load included); cpu_us_per_atom_frame = the process's CPU time over the same span; rss_mb / heap_mb = working set / " +
                  $"managed heap once every run has caught up and idled {IdleSettle.TotalSeconds:0} s, after full compacting collections; " +
                  "mb_per_run = (rss_mb - the same silo's before any run) / runs");
        lines.AddRange(levels.Append(oneCore).Concat(big).OfType<Level>().Select(l => l.Detail));
        lines.AddRange(new[] { levels, big }.Select(FurtherRun).OfType<string>());
        if (oneCore is not null && levels.FirstOrDefault(l => l.Runs == oneCore.Runs) is { } both)
            lines.Add($"  cores: runs={both.Runs} on {both.Cores} cores {F(both.AtomFramesPerSecond, 0)} atom-frames/s, on 1 core " +
                      $"{F(oneCore.AtomFramesPerSecond, 0)}: x{F(both.AtomFramesPerSecond / oneCore.AtomFramesPerSecond, 2)}; CPU per atom-frame " +
                      $"{F(both.CpuMicrosecondsPerAtomFrame, 3)} vs {F(oneCore.CpuMicrosecondsPerAtomFrame, 3)} us");
        else if (oneCore is null)
            lines.Add($"  one core not measured: {Tools.Taskset.Name} missing ({Tools.Taskset.Install})");
        lines.Add($"  shared machine: {loadBefore} before, {BenchContext.MachineLoad()} after");
        return lines;
    }

    /// <summary>What each further idle run adds: the slope between the fewest and the most runs; null for one level.</summary>
    private static string? FurtherRun(List<Level> levels)
    {
        var (lo, hi) = (levels.MinBy(l => l.Runs)!, levels.MaxBy(l => l.Runs)!);
        if (hi.Runs == lo.Runs) return null;
        int more = hi.Runs - lo.Runs;
        return $"  each further idle run of {hi.Atoms} atoms (slope from runs={lo.Runs} to runs={hi.Runs}): " +
               $"{F((hi.RssMb - lo.RssMb) / more, 2)} MB working set, {F((hi.HeapMb - lo.HeapMb) / more, 2)} MB managed heap; " +
               $"peak working set {F(lo.PeakMb, 0)} -> {F(hi.PeakMb, 0)} MB";
    }

    /// <summary>One process's figures: times in seconds, memory in MB, total frames over all runs.</summary>
    private sealed record Level(
        int Runs, int Atoms, int FramesPerRun, int Cores, double WallSeconds, double FirstToLastSeconds, double CpuSeconds,
        double BaseRssMb, double BaseHeapMb, double RssMb, double HeapMb, double PeakMb, double[] IdleLatencyMs)
    {
        private int Frames => Runs * FramesPerRun;

        private double AtomFrames => (double)Atoms * Frames;

        // From the first summary on: the frames after it, which is when the silo was at work.
        private double AtomFramesAfterFirst => (double)Atoms * (Frames - 1);

        public double AtomFramesPerSecond => AtomFrames / WallSeconds;

        public double CpuMicrosecondsPerAtomFrame => 1e6 * CpuSeconds / AtomFrames;

        public string Line =>
            $"{CaseName} runs={Runs} atoms={Atoms} frames={Frames} atom_frames_per_s={F(AtomFramesPerSecond, 0)} " +
            $"cpu_us_per_atom_frame={F(CpuMicrosecondsPerAtomFrame, 3)} rss_mb={F(RssMb, 1)} heap_mb={F(HeapMb, 1)} " +
            $"mb_per_run={F((RssMb - BaseRssMb) / Runs, 2)} cores={Cores}";

        public string Detail =>
            $"  runs={Runs} atoms={Atoms} cores={Cores}: {F(WallSeconds, 2)} s, {F(Frames / WallSeconds, 1)} frames/s from registration, " +
            $"{F((Frames - 1) / FirstToLastSeconds, 1)} frames/s ({F(AtomFramesAfterFirst / FirstToLastSeconds, 0)} atom-frames/s) " +
            $"from the first summary to the last; CPU {F(CpuSeconds, 1)} s ({F(CpuSeconds / (WallSeconds * Cores), 2)} of the cores busy); " +
            $"peak working set {F(PeakMb, 0)} MB; before any run {F(BaseRssMb, 1)} MB working set, {F(BaseHeapMb, 1)} MB heap" +
            (IdleLatencyMs.Length == 0 ? "" :
                $"; a frame appended to an idle run, write to summary: median {F(Median(IdleLatencyMs), 1)} ms, max " +
                $"{F(IdleLatencyMs.Max(), 1)} ms ({IdleLatencyMs.Length} runs, one at a time)");
    }

    private static Level Measure(BenchContext context, string source, int runs, bool oneCore)
    {
        string where = oneCore ? ", one core" : "";
        var work = Path.Combine(context.DataDir, $"{CaseName}-{Environment.ProcessId}-{runs}{(oneCore ? "-1core" : "")}");
        var what = $"{CaseName} process ({runs} runs of {Path.GetFileName(source)}{where})";
        Console.Error.WriteLine($"[{CaseName}] {runs} runs of {Path.GetFileName(source)}{where}, in a process of their own");
        try
        {
            var values = ChildProcess.Run(what, ["--silo-sizing-child", source, runs.ToString(CultureInfo.InvariantCulture), work],
                oneCore ? ["taskset", "-c", "0"] : null, echoStderr: true);
            double Number(string key) => double.Parse(values.Get(key, what), CultureInfo.InvariantCulture);
            int Count(string key) => int.Parse(values.Get(key, what), CultureInfo.InvariantCulture);
            var latencies = values.Get("idle_latency_ms", what);
            return new Level(Count("runs"), Count("atoms"), Count("frames_per_run"), Count("cores"), Number("wall_s"),
                Number("first_to_last_s"), Number("cpu_s"), Number("base_rss_bytes") / 1e6, Number("base_heap_bytes") / 1e6,
                Number("rss_bytes") / 1e6, Number("heap_bytes") / 1e6, Number("peak_bytes") / 1e6,
                latencies == "none" ? [] : [.. latencies.Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture))]);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The child side: one silo, <paramref name="runs"/> runs on copies of <paramref name="source"/> under <paramref name="work"/>.</summary>
    public static int Child(string source, int runs, string work)
    {
        try
        {
            Console.WriteLine(MeasureInProcessAsync(source, runs, work).GetAwaiter().GetResult());
            return 0;
        }
        catch (BenchException e)
        {
            Console.Error.WriteLine($"[{CaseName}] {e.Message}");
            return 1;
        }
    }

    private static async Task<string> MeasureInProcessAsync(string source, int runs, string work)
    {
        var (framesPerRun, atoms) = DumpFrames.Shape(source);
        byte[]? probe = null;
        if (new FileInfo(source).Length < SmallDumpBytes)
        {
            LiveWarmUp.SummarizeTwice(source, CaseName);
            // The frame an engine would write next, for the latency of a run that has been idle.
            probe = DumpFrames.Replay(DumpFrames.Split(File.ReadAllBytes(source)), framesPerRun);
        }
        using var files = new GrowingDumps(work, "run", runs, copyOf: source);
        var runIds = Enumerable.Range(0, runs).Select(i => $"sizing-{i}").ToArray();
        var runOf = runIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        // Frames 0..framesPerRun-1 are the copy; frame framesPerRun is the probe.
        var arrived = new long[runs, framesPerRun + 1];
        int total = runs * framesPerRun, arrivals = 0;
        long firstArrival = 0, lastArrival = 0;
        TimeSpan cpuAtLast = default;

        await using var silo = await LiveSilo.StartAsync(Path.Combine(work, "silo"));
        await silo.Runs.SubscribeAllRunsAsync(update =>
        {
            long now = Stopwatch.GetTimestamp();
            if (update.Summary is not { } s || !runOf.TryGetValue(s.RunId, out int run) || s.Frame > framesPerRun) return;
            if (Interlocked.CompareExchange(ref arrived[run, s.Frame], now, 0) != 0 || s.Frame == framesPerRun) return;
            int n = Interlocked.Increment(ref arrivals);
            if (n == 1) Volatile.Write(ref firstArrival, now);
            if (n != total) return;
            cpuAtLast = CpuTime();
            Volatile.Write(ref lastArrival, now);
        });
        var (baseRss, baseHeap) = ProcessMemory.Settled();

        Console.Error.WriteLine($"[{CaseName}] {runs} runs: registering, {framesPerRun} frames of {atoms} atoms already written to each");
        var cpuStart = CpuTime();
        long start = Stopwatch.GetTimestamp();
        await Task.WhenAll(runIds.Select((id, i) => silo.Runs.RegisterAsync(id, files.PathOf(i))));
        bool done = await LiveRuns.WaitUntilAsync(() => Volatile.Read(ref lastArrival) != 0, CatchUpTimeout);
        if (await silo.Runs.FailuresAsync(runIds) is { Count: > 0 } failed) throw new BenchException("pipeline failed" + LiveRuns.Describe(failed));
        if (!done) throw new BenchException($"{Volatile.Read(ref arrivals)} of {total} summaries within {CatchUpTimeout.TotalMinutes:0} min");

        Console.Error.WriteLine($"[{CaseName}] {runs} runs: caught up in {Stopwatch.GetElapsedTime(start, lastArrival).TotalSeconds:0.0} s; idling");
        await Task.Delay(IdleSettle);
        var (rss, heap) = ProcessMemory.Settled();
        long peak = ProcessMemory.PeakWorkingSetBytes();

        var latencies = new List<double>();
        for (int i = 0; probe is not null && i < Math.Min(runs, ProbeRuns); i++)
        {
            long written = files.Append(i, probe);
            int run = i;
            if (!await LiveRuns.WaitUntilAsync(() => Volatile.Read(ref arrived[run, framesPerRun]) != 0, ProbeTimeout))
                throw new BenchException($"{runIds[i]}: no summary of the frame appended once it idled within {ProbeTimeout.TotalSeconds:0} s");
            latencies.Add(Stopwatch.GetElapsedTime(written, arrived[run, framesPerRun]).TotalMilliseconds);
        }

        string Invariant(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        return string.Join(' ',
            $"runs={runs}", $"atoms={atoms}", $"frames_per_run={framesPerRun}", $"cores={Environment.ProcessorCount}",
            $"wall_s={Invariant(Stopwatch.GetElapsedTime(start, lastArrival).TotalSeconds)}",
            $"first_to_last_s={Invariant(Stopwatch.GetElapsedTime(firstArrival, lastArrival).TotalSeconds)}",
            $"cpu_s={Invariant((cpuAtLast - cpuStart).TotalSeconds)}",
            $"base_rss_bytes={baseRss}", $"base_heap_bytes={baseHeap}", $"rss_bytes={rss}", $"heap_bytes={heap}", $"peak_bytes={peak}",
            $"idle_latency_ms={(latencies.Count == 0 ? "none" : string.Join(',', latencies.Select(Invariant)))}");
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
