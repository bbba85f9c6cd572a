using System.Diagnostics;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Classification.Batching;
using StreamMonitor.Ingest;
using StreamMonitor.Monitoring.Pipeline;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// How full the shared network's batches get when many runs summarise frames at once, and what it does to throughput:
/// 20 runs, each following its own copy of a real urea trajectory (432 molecules, the committed LAMMPS melt and crystal
/// fixtures), through one <see cref="SharedModels"/> (one network, one <see cref="MicroBatcher"/>) and one
/// <see cref="ComputeSlots"/> of one slot per core. Two ways of using the slots, on the same frames, alternating:
/// <list type="bullet">
/// <item><c>before</c>: the whole summary in one slot, the wait for the batch included (how <see cref="SummaryFeed"/>
/// called the summarizer before the network left the slot): a batch can never hold the rows of more runs than there
/// are slots.</item>
/// <item><c>after</c>: <see cref="FrameSummarizer.SummarizeAsync(string, StreamMonitor.Core.Frame, ComputeSlots?, CancellationToken)"/>
/// with the slots, as <see cref="SummaryFeed"/> now calls it: features in a slot, the batch wait outside any, the census in
/// a slot again.</item>
/// </list>
/// Rows per batch come from every batch the batcher evaluated (<see cref="MicroBatcher.Evaluated"/>); throughput is
/// frames summarised per second of wall time over all runs. Both arms run with the default batcher (2 ms max delay,
/// 4096 rows) and with a 20 ms max delay, the kind of setting a GPU batcher would use. The parallel loops inside the
/// computes draw on the slots' budget in both arms; a third arm, <c>after</c> with the loops on a budget of their own
/// (each frame's symmetry-function loop forking onto every core whatever the slots hold, as before the budget was
/// shared), shows what sharing it does.
/// </summary>
public sealed class CrossRunBatchingCase : IBenchCase
{
    private const int Runs = 20;
    private const string Model = "urea-2024";
    private static readonly TimeSpan[] Delays = [new MicroBatcherOptions().MaxDelay, TimeSpan.FromMilliseconds(20)];

    public string Name => "cross-run-batching";

    public string Description =>
        $"{Runs} urea runs through one shared batcher and one slot per core: rows per batch and frames/s with the network inside vs outside the slot";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var frames = Frames(context);
        int perRun = CountFrames(frames);
        string loadBefore = BenchContext.MachineLoad();
        var lines = new List<string>();
        var results = new List<(TimeSpan Delay, Arm Before, Arm After)>();
        var ownLoops = new List<Pass>();
        foreach (var delay in Delays)
        {
            var before = new List<Pass>();
            var after = new List<Pass>();
            bool first = delay == Delays[0];
            Measure(frames, delay, Mode.After); // warm-up: compiles the shared code
            for (int r = 0; r < context.Rounds; r++)
            {
                // In turn, each first in turn, so the machine's drift falls on all.
                var order = new[] { Mode.Before, Mode.After, Mode.AfterOwnLoops }.Take(first ? 3 : 2).ToArray();
                for (int k = 0; k < order.Length; k++)
                {
                    var mode = order[(k + r) % order.Length];
                    (mode switch { Mode.Before => before, Mode.After => after, _ => ownLoops }).Add(Measure(frames, delay, mode));
                }
            }
            results.Add((delay, new Arm(before), new Arm(after)));
        }

        var (_, b, a) = results[0];
        lines.Add($"{Name} runs={Runs} rows_per_batch_before={F(b.MeanRows, 0)} rows_per_batch_after={F(a.MeanRows, 0)} " +
                  $"ratio={F(a.MeanRows / b.MeanRows)} fps_before={F(b.FramesPerSecond, 1)} fps_after={F(a.FramesPerSecond, 1)} " +
                  $"throughput_ratio={F(a.FramesPerSecond / b.FramesPerSecond)}");
        foreach (var (delay, before, after) in results)
            lines.Add($"  max delay {delay.TotalMilliseconds:0} ms: rows per batch mean {F(before.MeanRows, 0)} -> {F(after.MeanRows, 0)} " +
                      $"(ratio {F(after.MeanRows / before.MeanRows)}), median {F(before.MedianRows, 0)} -> {F(after.MedianRows, 0)}, " +
                      $"requests (runs) per batch mean {F(before.MeanRequests, 2)} -> {F(after.MeanRequests, 2)}, most {before.MostRequests} -> {after.MostRequests}; " +
                      $"{F(before.FramesPerSecond, 1)} -> {F(after.FramesPerSecond, 1)} frames/s (ratio {F(after.FramesPerSecond / before.FramesPerSecond)}), " +
                      $"{F(1000 / before.FramesPerSecond, 2)} -> {F(1000 / after.FramesPerSecond, 2)} ms of wall time per frame");
        var own = new Arm(ownLoops);
        lines.Add($"  loops sharing the slots' budget vs on their own (max delay {Delays[0].TotalMilliseconds:0} ms, network outside the slot): " +
                  $"{F(a.FramesPerSecond, 1)} vs {F(own.FramesPerSecond, 1)} frames/s (ratio {F(a.FramesPerSecond / own.FramesPerSecond)})");
        lines.Add($"  {Runs} runs x {perRun} frames of {Path.GetFileName(frames)} ({UreaMolecules} molecules: urea melt at 500 K, form I at 200 K), " +
                  $"{Environment.ProcessorCount} slots (one per core), model {Model}, batcher max {new MicroBatcherOptions().MaxBatchRows} rows; " +
                  $"medians over {context.Rounds} rounds of the per-pass means; before = ComputeSlots.RunAsync around the whole summary, " +
                  "after = SummarizeAsync(runId, frame, slots)");
        lines.Add($"  shared machine: {loadBefore} before, {BenchContext.MachineLoad()} after");
        return lines;
    }

    private const int UreaMolecules = 432;

    /// <summary>One pass: every run summarises every frame of its copy; the batches evaluated and the wall time.</summary>
    private sealed record Pass(List<MicroBatch> Batches, int Frames, double Seconds);

    private sealed class Arm(List<Pass> passes)
    {
        public double MeanRows => Median(passes.Select(p => p.Batches.Average(b => (double)b.Rows)));
        public double MedianRows => Median(passes.Select(p => Median(p.Batches.Select(b => (double)b.Rows))));
        public double MeanRequests => Median(passes.Select(p => p.Batches.Average(b => (double)b.Requests)));
        public int MostRequests => passes.Max(p => p.Batches.Max(b => b.Requests));
        public double FramesPerSecond => Median(passes.Select(p => p.Frames / p.Seconds));
    }

    private enum Mode
    {
        /// <summary>The whole summary in a slot, the batch wait included.</summary>
        Before,

        /// <summary>Features and census in slots, the batch wait outside; loops on the slots' budget.</summary>
        After,

        /// <summary>As <see cref="After"/>, with the loops on a budget of their own.</summary>
        AfterOwnLoops,
    }

    private static Pass Measure(string frames, TimeSpan delay, Mode mode) => MeasureAsync(frames, delay, mode).GetAwaiter().GetResult();

    private static async Task<Pass> MeasureAsync(string frames, TimeSpan delay, Mode mode)
    {
        var budget = new CoreBudget(Environment.ProcessorCount);
        var slots = new ComputeSlots(budget);
        var loops = mode == Mode.AfterOwnLoops ? new CoreBudget(Environment.ProcessorCount) : budget;
        await using var models = new SharedModels(new MicroBatcherOptions { MaxDelay = delay }, loops);
        var summarizers = Enumerable.Range(0, Runs).Select(_ => models.CreateSummarizer(Model)).ToArray();
        var batcher = models.Get(Model).Batcher ?? throw new BenchException($"model {Model} has no batcher");
        var batches = new List<MicroBatch>();
        batcher.Evaluated += b =>
        {
            lock (batches) batches.Add(b);
        };
        int summarised = 0;
        long start = Stopwatch.GetTimestamp();
        await Task.WhenAll(summarizers.Select((summarizer, run) => Task.Run(async () =>
        {
            using var reader = TrajectoryReader.Open(frames);
            foreach (var frame in reader.ReadAll())
                using (frame)
                {
                    var summary = mode == Mode.Before
                        ? await slots.RunAsync(() => summarizer.SummarizeAsync($"run{run}", frame))
                        : await summarizer.SummarizeAsync($"run{run}", frame, slots);
                    if (summary.Count != UreaMolecules) throw new BenchException($"{summary.Count} molecules in a frame, expected {UreaMolecules}");
                    Interlocked.Increment(ref summarised);
                }
        })));
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        lock (batches) return new Pass([.. batches], summarised, seconds);
    }

    /// <summary>The committed urea melt and crystal fixtures, one after the other, unpacked once into the data cache.</summary>
    internal static string Frames(BenchContext context)
    {
        var path = Path.Combine(context.DataDir, "urea-melt-and-crystal.lammpstrj");
        if (File.Exists(path)) return path;
        var fixtures = Path.GetFullPath(Path.Combine(context.BenchDir, "..", "tests", "StreamMonitor.Monitoring.Tests", "Data", "urea"));
        Directory.CreateDirectory(context.DataDir);
        using (var output = File.Create(path + ".tmp"))
            foreach (var name in new[] { "urea-melt-500K.lammpstrj.gz", "urea-form-I-200K.lammpstrj.gz" })
            {
                var fixture = Path.Combine(fixtures, name);
                if (!File.Exists(fixture)) throw new BenchException($"{fixture} not found");
                using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(fixture), System.IO.Compression.CompressionMode.Decompress);
                gzip.CopyTo(output);
            }
        File.Move(path + ".tmp", path);
        return path;
    }

    private static int CountFrames(string path)
    {
        using var reader = TrajectoryReader.Open(path);
        int n = 0;
        foreach (var frame in reader.ReadAll())
            using (frame) n++;
        return n;
    }
}
