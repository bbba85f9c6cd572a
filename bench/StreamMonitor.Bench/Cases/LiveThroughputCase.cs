using System.Diagnostics;
using StreamMonitor.Analysis.Clusters;
using StreamMonitor.Classification.Models;
using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Core;
using StreamMonitor.Monitoring.Pipeline;
using StreamMonitor.Ingest;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// Atoms per second of one large run (1000188 LJ atoms, an lmp quench) through the grain pipeline — registered on a
/// <see cref="LiveSilo"/> configured as the server's, then tailed, summarised, reported with its SQLite checkpoint and
/// published on the all-runs stream — against the sum of the stages that pipeline runs per frame, timed one after
/// another on the same frames in this process: parse (<see cref="TrajectoryReader"/>) and summarise
/// (<see cref="FrameSummarizer"/> built as the pipeline builds it, so whatever the summariser does per frame is on both
/// sides). Overhead = pipeline time / stage-sum time − 1, the first frame left out of both (model load, JIT). Inside
/// summarise, features + classification and the cluster step are also timed on their own, for the breakdown. The
/// stages hold one frame at a time; the pipeline's tailer parses ahead up to its channel capacity (4 frames by default)
/// while the summariser works, so its parsing mostly falls outside the timed frames.
/// </summary>
public sealed class LiveThroughputCase : IBenchCase
{
    // A round is two passes over four 1M-atom frames (a minute or more on 2 cores): two rounds, one in each order, are
    // enough to cancel the order's bias.
    private const int MaxRounds = 2;
    private static readonly TimeSpan PipelineTimeout = TimeSpan.FromMinutes(10);
    private const double GoalOverhead = 0.20;

    public string Name => "live-throughput";

    public string Description =>
        "one 1000188-atom LJ run through the grain pipeline vs the sum of its stages (parse + summarize) on the same frames, atoms/s";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var input = context.Data("make-live.sh", "lj1m-quench-4.dump");
        string loadBefore = BenchContext.MachineLoad();
        int rounds = Math.Min(context.Rounds, MaxRounds);
        var stages = new List<StagePass>();
        var pipelines = new List<PipelinePass>();
        for (int r = 0; r < rounds; r++)
        {
            // Stages first in even rounds (the first pass counts the frames and warms the shared code), the pipeline
            // first in odd ones.
            if (r % 2 == 0) stages.Add(MeasureStages(input, breakdown: r == 0));
            if (stages[0].Frames.Count < 2) throw new BenchException($"{input} has fewer than 2 frames; delete it to regenerate");
            pipelines.Add(MeasurePipeline(context, input, stages[0].Frames.Count).GetAwaiter().GetResult());
            if (r % 2 == 1) stages.Add(MeasureStages(input, breakdown: false));
        }

        var first = stages[0];
        int atoms = first.Atoms, frames = first.Frames.Count, measured = frames - 1;
        double pipelineSeconds = Median(pipelines.Select(x => x.MeasuredSeconds));
        double stageSeconds = Median(stages.Select(x => x.MeasuredSeconds));
        double PerFrameMs(double seconds) => 1000 * seconds / measured;
        double FirstPassMs(Func<StageTimes, double> stage) => PerFrameMs(first.Frames.Skip(1).Sum(stage));
        double summarize = FirstPassMs(f => f.Summarize), features = FirstPassMs(f => f.Features);
        double classify = FirstPassMs(f => f.Classify), clusters = FirstPassMs(f => f.Clusters);
        var last = first.Frames[^1].Summary;
        var lines = new List<string>
        {
            $"{Name} atoms={atoms} pipeline_atoms_per_s={F(atoms * measured / pipelineSeconds, 0)} " +
            $"stage_sum_atoms_per_s={F(atoms * measured / stageSeconds, 0)} overhead={F(pipelineSeconds / stageSeconds - 1, 3)}",
            $"  pipeline {F(PerFrameMs(pipelineSeconds), 0)} ms/frame: IRunGrain.Register -> each frame's summary on RunStreams.AllRuns " +
            $"(tailer, FrameSummarizer, ReportFrame + SQLite checkpoint, stream publish), frames 2-{frames} from the first summary to the " +
            $"last, GC pauses {F(PerFrameMs(Median(pipelines.Select(x => x.MeasuredGcPauseSeconds))), 0)} ms/frame; all {frames} frames " +
            $"from registration (model load and frame 1 included) {F(Median(pipelines.Select(x => x.FromRegistrationSeconds)), 1)} s",
            $"  stages {F(PerFrameMs(stageSeconds), 0)} ms/frame: parse (TrajectoryReader) + summarize (FrameSummarizer as RunPipeline builds it: " +
            $"SharedModels, default summary settings), one after another on the same frames, GC pauses " +
            $"{F(PerFrameMs(Median(stages.Select(x => x.MeasuredGcPauseSeconds))), 0)} ms/frame",
            $"  first stage pass per frame: parse {F(FirstPassMs(f => f.Parse), 0)} ms, summarize {F(summarize, 0)} ms; inside summarize, " +
            $"timed on their own: features {F(features, 0)} ms, classification {F(classify, 0)} ms (bare network), clusters {F(clusters, 0)} ms, " +
            $"the rest ~{F(summarize - features - classify - clusters, 0)} ms",
            $"  input {Path.GetFileName(input)}: {F(new FileInfo(input).Length / 1e6, 0)} MB, {frames} frames x {atoms} atoms " +
            $"(lmp in.lj-quench cells=63); last frame {F(100.0 * last.Crystalline / Math.Max(1, last.Count), 1)}% crystalline, n_max {last.NMax}; " +
            $"medians of {rounds} round(s), stages then pipeline, then the other way round (frames 2-{frames}: pipeline " +
            $"{Seconds(pipelines.Select(x => x.MeasuredSeconds))}, stages {Seconds(stages.Select(x => x.MeasuredSeconds))}); " +
            $"goal overhead < {GoalOverhead:0%}",
            $"  shared machine: {loadBefore} before, {BenchContext.MachineLoad()} after",
        };
        var mismatch = pipelines.Select(p => Compare(first, p)).FirstOrDefault(m => m is not null);
        if (mismatch is not null) lines.Add($"  WARNING: the pipeline and the stages disagree: {mismatch}");
        return lines;
    }

    private static string Seconds(IEnumerable<double> rounds) => string.Join("/", rounds.Select(x => $"{F(x, 1)} s"));

    /// <summary>Seconds per stage of one frame; GcPause is the collectors' pause within parse + summarize.</summary>
    private sealed record StageTimes(
        double Parse, double Features, double Classify, double Clusters, double Summarize, double GcPause, FrameSummary Summary);

    private sealed record StagePass(int Atoms, IReadOnlyList<StageTimes> Frames)
    {
        /// <summary>Parse + summarize of every frame but the first, in seconds.</summary>
        public double MeasuredSeconds => Frames.Skip(1).Sum(f => f.Parse + f.Summarize);

        public double MeasuredGcPauseSeconds => Frames.Skip(1).Sum(f => f.GcPause);
    }

    /// <summary>Seconds from registration to the last summary, and from the first summary to the last (with the GC pauses in it).</summary>
    private sealed record PipelinePass(
        double FromRegistrationSeconds, double MeasuredSeconds, double MeasuredGcPauseSeconds, IReadOnlyList<FrameSummary> Summaries);

    /// <param name="breakdown">
    /// Also time features, classification and the cluster step on their own, after each frame's timed summarize; their
    /// garbage is collected before the next frame so it does not land on the next summarize.
    /// </param>
    private static StagePass MeasureStages(string input, bool breakdown)
    {
        var models = new SharedModels();
        try
        {
            var summarizer = models.CreateSummarizer(RunConfig.DefaultModel, SummarizerOptions.From(new SummarySettings()));
            var model = models.Get(RunConfig.DefaultModel).Model;
            var crystalline = model.Classes.Select(summarizer.CrystallineClasses.Contains).ToArray();
            var clusters = new ClusterAnalysis();
            using var reader = TrajectoryReader.Open(input, TrajectoryFormats.ByName("lammps"));
            var frames = new List<StageTimes>();
            int atoms = 0;
            while (true)
            {
                var paused = GC.GetTotalPauseDuration();
                long start = Stopwatch.GetTimestamp();
                using var frame = reader.Read();
                if (frame is null) break;
                double parse = Stopwatch.GetElapsedTime(start).TotalSeconds;
                start = Stopwatch.GetTimestamp();
                var summary = summarizer.SummarizeAsync("stages", frame).AsTask().GetAwaiter().GetResult();
                double summarize = Stopwatch.GetElapsedTime(start).TotalSeconds;
                double gcPause = (GC.GetTotalPauseDuration() - paused).TotalSeconds;
                Console.Error.WriteLine($"[live-throughput] stages: frame {frames.Count + 1} summarised");
                var (features, classify, cluster) = breakdown ? Breakdown(model, crystalline, clusters, frame) : (double.NaN, double.NaN, double.NaN);
                if (breakdown) GC.Collect();
                frames.Add(new StageTimes(parse, features, classify, cluster, summarize, gcPause, summary));
                atoms = frame.AtomCount;
            }
            return new StagePass(atoms, frames);
        }
        finally
        {
            models.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Features, classification (the bare network, where the pipeline goes through the shared micro-batcher) and the
    /// cluster step of the summariser, each timed on its own, in seconds.
    /// </summary>
    private static (double Features, double Classify, double Clusters) Breakdown(
        ClassifierModel model, bool[] crystalline, ClusterAnalysis clusters, Frame frame)
    {
        long start = Stopwatch.GetTimestamp();
        var rows = model.Featurizer.Compute(frame);
        double features = Stopwatch.GetElapsedTime(start).TotalSeconds;
        start = Stopwatch.GetTimestamp();
        var labels = model.Predict(rows).Labels;
        double classify = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var member = new bool[rows.Count];
        for (int r = 0; r < member.Length; r++) member[r] = labels[r] >= 0 && crystalline[labels[r]];
        var links = rows.Neighbors ?? throw new BenchException($"model '{RunConfig.DefaultModel}' gave rows without their neighbour list");
        start = Stopwatch.GetTimestamp();
        clusters.Compute(frame, links, member);
        return (features, classify, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    private static async Task<PipelinePass> MeasurePipeline(BenchContext context, string input, int frameCount)
    {
        const string runId = "throughput";
        var arrived = new long[frameCount];
        var pausedAt = new TimeSpan[frameCount];
        var summaries = new FrameSummary[frameCount];
        int arrivals = 0;
        await using var silo = await LiveSilo.StartAsync(Path.Combine(context.DataDir, $"live-throughput-{Environment.ProcessId}"));
        await silo.Runs.SubscribeAllRunsAsync(update =>
        {
            long now = Stopwatch.GetTimestamp();
            if (update.Summary is not { } s || s.RunId != runId || s.Frame >= frameCount) return;
            arrived[s.Frame] = now;
            pausedAt[s.Frame] = GC.GetTotalPauseDuration();
            summaries[s.Frame] = s;
            Interlocked.Increment(ref arrivals);
            Console.Error.WriteLine($"[live-throughput] pipeline: frame {s.Frame + 1} summarised");
        });
        Console.Error.WriteLine("[live-throughput] pipeline: registering the run");
        long start = Stopwatch.GetTimestamp();
        await silo.Runs.RegisterAsync(runId, input);
        bool done = await LiveRuns.WaitUntilAsync(() => Volatile.Read(ref arrivals) >= frameCount, PipelineTimeout);
        if (await silo.Runs.FailuresAsync([runId]) is { Count: > 0 } failed) throw new BenchException($"pipeline failed: {failed[0]}");
        if (!done) throw new BenchException($"{Volatile.Read(ref arrivals)} of {frameCount} summaries within {PipelineTimeout.TotalMinutes:0} min");
        return new PipelinePass(Stopwatch.GetElapsedTime(start, arrived[^1]).TotalSeconds,
            Stopwatch.GetElapsedTime(arrived[0], arrived[^1]).TotalSeconds, (pausedAt[^1] - pausedAt[0]).TotalSeconds, summaries);
    }

    /// <summary>Both sides summarise the same frames with the same model, so their census and n_max must agree.</summary>
    private static string? Compare(StagePass stages, PipelinePass pipeline)
    {
        for (int k = 0; k < stages.Frames.Count; k++)
        {
            var (a, b) = (stages.Frames[k].Summary, pipeline.Summaries[k]);
            if (a.Count != b.Count || a.Crystalline != b.Crystalline || a.NMax != b.NMax)
                return $"frame {k + 1}: {a.Count} rows, {a.Crystalline} crystalline, n_max {a.NMax} vs {b.Count}, {b.Crystalline}, {b.NMax}";
        }
        return null;
    }
}
