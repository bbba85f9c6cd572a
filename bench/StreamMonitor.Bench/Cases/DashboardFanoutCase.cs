using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StreamMonitor.Core;
using StreamMonitor.Dashboard.Hosting;
using StreamMonitor.Dashboard.Live;
using StreamMonitor.Monitoring;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// The dashboard's fan-out: an in-process server (<see cref="ServerHost.Create"/>, open, on 127.0.0.1) with
/// <see cref="Runs"/> live runs, each fed the frames of a real 10976-atom LJ quench (lmp) replayed into its own growing
/// file, and <see cref="Clients"/> SignalR clients (<see cref="HubListener"/>: WebSockets, JSON), each watching the runs
/// list and following <see cref="FollowedPerClient"/> runs. Three things are measured, every phase on runs of its own
/// (registered, their first frame awaited; they end by idleness later):
/// <list type="bullet">
/// <item>Latency: runs at one frame per <see cref="FramePeriod"/> each for <c>--seconds</c>; the time from each summary's
/// <c>recorded_at</c> to its arrival at each client (one clock: everything is in this process).</item>
/// <item>Throughput: every run's next <see cref="BurstFrames"/> frames written at once, frames/s from the first write to
/// the last summary on the all-runs stream, and the process's CPU time per frame over the same span (less sensitive to
/// a shared machine's other load), with no client and with all of them, alternating (0, N, N, 0 ...).</item>
/// <item>A stalled client (<see cref="StalledHubConnection"/>: follows every run, never reads) during another latency
/// phase: the server's queued messages (<see cref="LiveClients.Waiting"/>) and the managed heap over time, and the
/// other clients' latency beside it.</item>
/// </list>
/// An unmeasured phase with every client comes first, so the server's code paths are compiled before any is timed.
/// In the latency phases the clients run in this process (one clock for recorded_at and arrival); in the measured
/// throughput phases they run in a process of their own at the lowest priority (<see cref="HubClientsProcess"/>), so
/// that the ratio charges the server with serving them and not with being them: browsers run on other machines.
/// </summary>
public sealed class DashboardFanoutCase : IBenchCase
{
    private const int Runs = 20;
    private const int Clients = 50;
    private const int FollowedPerClient = 3;
    private static readonly TimeSpan FramePeriod = TimeSpan.FromSeconds(2);
    private const double DefaultPhaseSeconds = 20;
    private const int MaxThroughputPairs = 4;
    /// <summary>Frames per run written at once in a throughput phase, after the first.</summary>
    private const int BurstFrames = 6;
    /// <summary>Frames before this are left out of the latencies (the first is awaited before the schedule starts).</summary>
    private const int WarmupFrames = 2;
    /// <summary>
    /// A phase's runs finish this long after their last frame, during later phases: long enough that a loaded machine's
    /// backlog never ends a run before its last frame is summarised.
    /// </summary>
    private static readonly TimeSpan RunIdle = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(90);
    private const double GoalP99Ms = 250;
    private const double GoalThroughputRatio = 0.95;

    public string Name => "dashboard-fanout";

    public string Description =>
        $"{Clients} SignalR clients on an in-process server with {Runs} live LJ runs: summary recorded -> client ms, frames/s with 0 vs {Clients} clients, a stalled client's queue";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var source = context.Data("make-live.sh", "lj11k-quench-24.dump");
        var frames = DumpFrames.Split(File.ReadAllBytes(source));
        if (frames.Count <= WarmupFrames + 1) throw new BenchException($"{source} has {frames.Count} frames; delete it to regenerate");
        int atoms = LiveWarmUp.SummarizeTwice(source, Name);
        string loadBefore = BenchContext.MachineLoad();
        var seconds = context.Seconds ?? DefaultPhaseSeconds;
        var dir = Path.Combine(context.DataDir, $"dashboard-fanout-{Environment.ProcessId}");
        try
        {
            var result = new Session(dir, frames).MeasureAsync(seconds, Math.Min(context.Rounds, MaxThroughputPairs)).GetAwaiter().GetResult();
            return Report(result, atoms, frames, seconds, loadBefore);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private List<string> Report(Result r, int atoms, List<byte[]> frames, double seconds, string loadBefore)
    {
        double ratio = Median(r.Throughput.Where(t => t.Clients > 0).Select(t => t.FramesPerSecond)) /
                       Median(r.Throughput.Where(t => t.Clients == 0).Select(t => t.FramesPerSecond));
        // Frames per CPU second with the clients over without them.
        double cpuRatio = Median(r.Throughput.Where(t => t.Clients == 0).Select(t => t.CpuMsPerFrame)) /
                          Median(r.Throughput.Where(t => t.Clients > 0).Select(t => t.CpuMsPerFrame));
        var stall = r.Stall;
        double heapGrowthMb = (stall.HeapAfterBytes - stall.HeapBeforeBytes) / 1e6;
        var lines = new List<string>
        {
            $"{Name} clients={Clients} runs={Runs} p50_ms={F(Percentile(r.Latency.LatenciesMs, 50))} p99_ms={F(Percentile(r.Latency.LatenciesMs, 99))} " +
            $"throughput_ratio={F(ratio, 3)} cpu_ratio={F(cpuRatio, 3)} stalled_p99_ms={F(Percentile(r.Stalled.LatenciesMs, 99))} " +
            $"stalled_waiting_max={stall.Samples.Max(s => s.StalledWaiting)} heap_growth_mb={F(heapGrowthMb, 1)}",
            $"  server: ServerHost.Create in process (open, 127.0.0.1, Kestrel + silo + hub); {Runs} runs of {atoms}-atom frames " +
            $"({F(frames.Average(f => f.Length) / 1e3, 0)} kB, lmp in.lj-quench cells=14) replayed into growing files; {Clients} clients " +
            $"(HubConnection, WebSockets, JSON) each WatchRuns() + Follow() {FollowedPerClient} runs, in this process",
        };
        lines.Add(LatencyLine("latency", r.Latency, seconds));
        lines.Add($"  throughput (every run's next {BurstFrames} frames written at once, frames/s first write -> last summary on " +
                  $"RunStreams.AllRuns): " + string.Join(", ", r.Throughput.Select(t =>
                      $"{t.Clients} clients {F(t.FramesPerSecond, 1)} frames/s, {F(t.CpuMsPerFrame, 0)} CPU ms/frame" +
                      (t.Clients > 0 ? $" (server's queues empty after {F(t.ClientsDoneSeconds, 1)} s; {t.SummariesReceived} summaries received)" : ""))) +
                  $"; throughput_ratio = median frames/s with {Clients} / with 0; cpu_ratio = median CPU ms/frame with 0 / with {Clients} " +
                  "(the server's process; the clients run in a process of their own at nice 19, as browsers elsewhere would)");
        lines.Add(LatencyLine("with a stalled client", r.Stalled, seconds));
        lines.Add($"  stalled client (negotiate + WebSocket, 4 kB receive buffer, WatchRuns + Follow of all {Runs} runs, pings, never reads): " +
                  $"its queue {string.Join(" ", Thin(stall.Samples).Select(s => $"{F(s.Seconds, 0)}s:{s.StalledWaiting}"))}; " +
                  $"coalesced {stall.Coalesced}; still connected at the end: {(stall.StillConnected ? "yes" : "no")}; " +
                  $"bound ~{ClientOutbox.CoalesceAbove} + runs + events");
        lines.Add($"  managed heap: {F(stall.HeapBeforeBytes / 1e6, 1)} MB after a full collection when the stalled client connected, " +
                  $"{F(stall.HeapAfterBytes / 1e6, 1)} MB at the end ({F(heapGrowthMb, 1)} MB); sampled without collecting: " +
                  string.Join(" ", Thin(stall.Samples).Select(s => $"{F(s.Seconds, 0)}s:{F(s.HeapBytes / 1e6, 0)}MB")) +
                  $"; LiveClients.Waiting (all clients) max {stall.Samples.Max(s => s.AllWaiting)}");
        lines.Add($"  goal: p99 < {GoalP99Ms:0} ms ({(Percentile(r.Latency.LatenciesMs, 99) < GoalP99Ms ? "met" : "missed")}), " +
                  $"throughput ratio >= {GoalThroughputRatio} ({(ratio >= GoalThroughputRatio ? "met" : "missed")}) on {Environment.ProcessorCount} cores");
        foreach (var p in new[] { r.Latency, r.Stalled }.Where(p => p.Problems.Count > 0))
            lines.Add($"  WARNING: {p.Name}: {string.Join("; ", p.Problems)}");
        lines.Add($"  shared machine: {loadBefore} before, {BenchContext.MachineLoad()} after");
        return lines;
    }

    private static string LatencyLine(string what, LatencyPhase p, double seconds) =>
        $"  {what}: {Runs} runs x 1 frame/{FramePeriod.TotalSeconds:0} s for {F(seconds, 0)} s, recorded_at -> client: p50 {F(Percentile(p.LatenciesMs, 50))} ms, " +
        $"p99 {F(Percentile(p.LatenciesMs, 99))} ms, max {F(p.LatenciesMs.Length == 0 ? double.NaN : p.LatenciesMs.Max())} ms over " +
        $"{p.LatenciesMs.Length} deliveries (frames {WarmupFrames}+), of which recorded_at -> the all-runs stream in process (before the fan-out) " +
        $"p50 {F(Percentile(p.StreamLatenciesMs, 50))} ms, p99 {F(Percentile(p.StreamLatenciesMs, 99))} ms; summaries {F(p.SustainedFps, 1)} frames/s of {F(p.OfferedFps, 1)} offered; " +
        $"events/status changes received by every client: {p.OthersExpected} each, missing {p.OthersMissing}; out of order {p.OutOfOrder}";

    /// <summary>About eight samples spread over the phase, the last included.</summary>
    private static IEnumerable<StallObservation.Sample> Thin(IReadOnlyList<StallObservation.Sample> samples)
    {
        int step = Math.Max(1, samples.Count / 8);
        return samples.Where((_, i) => i % step == 0 || i == samples.Count - 1);
    }

    private sealed record Result(LatencyPhase Latency, IReadOnlyList<ThroughputPhase> Throughput, LatencyPhase Stalled, StallObservation Stall);

    private sealed record LatencyPhase(
        string Name, double[] LatenciesMs, double[] StreamLatenciesMs, double OfferedFps, double SustainedFps, int OthersExpected, int OthersMissing, int OutOfOrder,
        IReadOnlyList<string> Problems);

    private sealed record ThroughputPhase(int Clients, double FramesPerSecond, double CpuMsPerFrame, double ClientsDoneSeconds, long SummariesReceived);


    /// <summary>One run of the case: the server, its scratch folder, and the phase whose updates the in-process subscriber records.</summary>
    private sealed class Session(string directory, List<byte[]> frames)
    {
        private FanoutPhase? _current;

        public async Task<Result> MeasureAsync(double seconds, int throughputPairs)
        {
            // The server's log goes to stderr beside the bench's progress lines, not among the results.
            Environment.SetEnvironmentVariable("Logging__Console__LogToStandardErrorThreshold", "Trace");
            var options = new ServerOptions
            {
                Port = LoopbackPorts.Next(),
                SiloPort = LoopbackPorts.Next(),
                DataDirectory = Path.Combine(directory, "server"),
                DataRoots = [directory],
                LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
            };
            Directory.CreateDirectory(directory);
            Console.Error.WriteLine("[dashboard-fanout] starting the server");
            await using var app = ServerHost.Create(options);
            await app.StartAsync();
            var server = new Server(app, $"http://127.0.0.1:{options.Port}{RunsHub.Path}");
            await server.Runs.SubscribeAllRunsAsync(update => Volatile.Read(ref _current)?.Heard(update, Stopwatch.GetTimestamp()));

            int frameCount = 1 + (int)Math.Ceiling(seconds / FramePeriod.TotalSeconds);
            // Unmeasured: the first runs and connections on a new server compile the grain, stream and hub paths, which
            // would otherwise land on the first measured phase (several hundred ms at p99 before the fan-out even starts).
            await ThroughputAsync(server, "warmup", Clients, outside: false);
            var (latency, _) = await LatencyAsync(server, "latency", frameCount, withStalled: false);
            var throughput = new List<ThroughputPhase>();
            for (int pair = 0; pair < throughputPairs; pair++)
                foreach (int clients in pair % 2 == 0 ? new[] { 0, Clients } : [Clients, 0])
                    throughput.Add(await ThroughputAsync(server, $"burst{throughput.Count}", clients));
            var (stalledPhase, stall) = await LatencyAsync(server, "stalled", frameCount, withStalled: true);
            await app.StopAsync();
            return new Result(latency, throughput, stalledPhase, stall ?? throw new BenchException("the stalled client was not observed"));
        }

        private sealed record Server(WebApplication App, string HubUrl)
        {
            public LiveRuns Runs { get; } = new(App.Services);

            public LiveClients Clients => App.Services.GetRequiredService<LiveClients>();
        }

        /// <summary>Runs at one frame per period each, every client measuring; with a stalled client beside them when asked.</summary>
        private async Task<(LatencyPhase, StallObservation?)> LatencyAsync(Server server, string name, int frameCount, bool withStalled)
        {
            var phase = new FanoutPhase(directory, name, Runs, frameCount);
            var clients = await ConnectAsync(server, phase);
            StallWatch? stall = null;
            try
            {
                await StartAsync(server, phase);
                if (withStalled) stall = await StallWatch.StartAsync(server.HubUrl, server.Clients, phase.Ids);
                Console.Error.WriteLine($"[dashboard-fanout] {name}: {Runs} runs x {frameCount - 1} frames at 1 per {FramePeriod.TotalSeconds:0} s, " +
                                        $"{clients.Count} clients{(withStalled ? " and a stalled one" : "")}");
                await phase.Files.WriteScheduledAsync(k => DumpFrames.Replay(frames, k), 1, frameCount, FramePeriod, phase.Written, "dashboard-fanout writer");
                var problems = new List<string>();
                if (!await LiveRuns.WaitUntilAsync(() => phase.Arrivals >= Runs * frameCount, DrainTimeout))
                    problems.Add($"{Runs * frameCount - phase.Arrivals} summaries never reached the all-runs stream");
                if (!await LiveRuns.WaitUntilAsync(() => clients.All(phase.HasEverything), DrainTimeout))
                    problems.Add($"{clients.Count(c => !phase.HasEverything(c))} clients lacked the last summary of a run {DrainTimeout.TotalSeconds:0} s after the last write");
                var observed = stall is null ? null : await stall.StopAsync();
                var expected = phase.OthersBeforeLastSummaries();
                var result = new LatencyPhase(name, [.. clients.SelectMany(c => c.LatenciesMs(WarmupFrames))], [.. phase.StreamLatenciesMs(WarmupFrames)],
                    Runs / FramePeriod.TotalSeconds,
                    phase.SustainedFramesPerSecond(WarmupFrames), expected.Count, clients.Sum(c => expected.Count(o => !c.Received(o.Run, o.Sequence))),
                    clients.Sum(c => c.OutOfOrder), problems);
                return (result, observed);
            }
            finally
            {
                if (stall is not null) await stall.DisposeAsync();
                await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
                await EndAsync(server, phase);
            }
        }

        /// <summary>
        /// Every run's remaining frames at once, with <paramref name="clientCount"/> clients receiving; those of the measured
        /// phases in a process of their own at the lowest priority (<see cref="HubClientsProcess"/>), the warm-up's here.
        /// </summary>
        private async Task<ThroughputPhase> ThroughputAsync(Server server, string name, int clientCount, bool outside = true)
        {
            var phase = new FanoutPhase(directory, name, Runs, 1 + BurstFrames);
            var clients = clientCount == 0 || outside ? [] : await ConnectAsync(server, phase);
            await using var elsewhere = clientCount > 0 && outside ? await HubClientsProcess.StartAsync(server.HubUrl, clientCount, FollowedPerClient, phase.Ids) : null;
            try
            {
                await StartAsync(server, phase);
                Console.Error.WriteLine($"[dashboard-fanout] {name}: {Runs} runs x {BurstFrames} frames at once, {clientCount} clients");
                var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                long start = Stopwatch.GetTimestamp();
                for (int k = 1; k < phase.FrameCount; k++)
                    for (int i = 0; i < Runs; i++)
                        phase.Written[i, k] = phase.Files.Append(i, DumpFrames.Replay(frames, k));
                if (!await LiveRuns.WaitUntilAsync(() => phase.Arrivals >= Runs * phase.FrameCount, DrainTimeout))
                    throw new BenchException($"{name}: {Runs * phase.FrameCount - phase.Arrivals} summaries missing {DrainTimeout.TotalSeconds:0} s after the writes" +
                                             LiveRuns.Describe(await server.Runs.FailuresAsync(phase.Ids)));
                double elapsed = Stopwatch.GetElapsedTime(start, phase.LastArrival).TotalSeconds;
                // Up to the last summary, with the clients still receiving: their share of the fan-out is in it, as it is in the wall time.
                double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds;
                await LiveRuns.WaitUntilAsync(() => clients.All(phase.HasEverything) && server.Clients.Waiting == 0, DrainTimeout);
                double clientsDone = Stopwatch.GetElapsedTime(start).TotalSeconds;
                long received = elsewhere is null ? clients.Sum(c => (long)c.SummaryCount) : await elsewhere.StopAsync();
                return new ThroughputPhase(clientCount, Runs * BurstFrames / elapsed, cpuMs / (Runs * BurstFrames), clientsDone, received);
            }
            finally
            {
                await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
                await EndAsync(server, phase);
            }
        }

        /// <summary>The clients, connected before the runs start (so every update of theirs is seen).</summary>
        private static Task<List<HubListener>> ConnectAsync(Server server, FanoutPhase phase) =>
            HubListener.ConnectManyAsync(server.HubUrl, Clients, FollowedPerClient, phase.Ids);

        /// <summary>Registers the phase's runs and writes their first frame; returns once every one is summarised (model load is not backlog).</summary>
        private async Task StartAsync(Server server, FanoutPhase phase)
        {
            Volatile.Write(ref _current, phase);
            await Task.WhenAll(phase.Ids.Select((id, i) => server.Runs.RegisterAsync(id, phase.Files.PathOf(i), RunIdle)));
            for (int i = 0; i < Runs; i++) phase.Written[i, 0] = phase.Files.Append(i, frames[0]);
            if (!await LiveRuns.WaitUntilAsync(() => phase.FirstArrivals >= Runs, StartTimeout))
                throw new BenchException($"{phase.FirstArrivals} of {Runs} runs summarised their first frame within {StartTimeout.TotalSeconds:0} s" +
                                         LiveRuns.Describe(await server.Runs.FailuresAsync(phase.Ids)));
        }

        /// <summary>Stops writing the phase's runs (they finish by idleness) and stops recording their updates.</summary>
        private async Task EndAsync(Server server, FanoutPhase phase)
        {
            Volatile.Write(ref _current, null);
            phase.Files.Dispose();
            if (await server.Runs.FailuresAsync(phase.Ids) is { Count: > 0 } failed) throw new BenchException("pipeline failed" + LiveRuns.Describe(failed));
        }
    }
}
