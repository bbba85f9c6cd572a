using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Grains;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Monitoring;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// What a live run's checkpoint writes, in steady state (long after its first <see cref="RunGrainOptions.KeptUpdates"/>
/// frames): its <see cref="RunGrainState"/> through the silo's own run storage (SQLite, Orleans' JSON), with the real
/// summaries of the 10976-atom LJ quench. The peer is the state as runs wrote it before, with all the kept updates in
/// every write; ours holds only the updates its history does not hold yet (1 to <see cref="RunGrainOptions.HistoryBatch"/>,
/// as the batch fills). Same process, same storage, alternating rounds; the ratio is the peer's time per write over ours.
/// A live load shows none of it within its 24 frames per run, fewer than the kept updates.
/// </summary>
public sealed class RunStateWriteCase : IBenchCase
{
    /// <summary>Writes per round and layout: two cycles of the history batch.</summary>
    private const int Cycles = 2;

    public string Name => "run-state-write";

    public string Description =>
        "a live run's checkpoint in steady state through the silo's SQLite storage: all 128 kept updates in each write (before) vs those the history lacks";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context) => RunAsync(context).GetAwaiter().GetResult();

    private async Task<IReadOnlyList<string>> RunAsync(BenchContext context)
    {
        var source = context.Data("make-live.sh", "lj11k-quench-24.dump");
        var (atoms, summaries) = LiveWarmUp.Summarize(source, Name, passes: 1);
        var defaults = new RunGrainOptions();
        int kept = defaults.KeptUpdates, batch = defaults.HistoryBatch, writes = Cycles * batch;
        var updates = Enumerable.Range(1, kept + writes).Select(i => Update(summaries, i)).ToArray();

        // Write j of a round: the run has recorded `last` updates, of which 1 + j % batch wait for the next append.
        RunGrainState State(int j, bool allKept)
        {
            int last = kept + j, waiting = 1 + j % batch, held = allKept ? kept : waiting;
            return new RunGrainState
            {
                Config = new RunConfig { TrajectoryPath = Path.GetFullPath(source) },
                State = RunState.Following,
                FramesProcessed = last,
                LastFrame = last - 1,
                LastSequence = last,
                HistoryAppended = last - waiting,
                CheckpointPath = Path.GetFullPath(source),
                Updates = [.. updates[(last - held)..last]],
            };
        }
        var before = Enumerable.Range(0, writes).Select(j => State(j, allKept: true)).ToArray();
        var after = Enumerable.Range(0, writes).Select(j => State(j, allKept: false)).ToArray();

        string dir = Path.Combine(context.DataDir, $"{Name}-{Environment.ProcessId}");
        try
        {
            await using var silo = await LiveSilo.StartAsync(Path.Combine(dir, "silo"));
            var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(RunGrain.StorageName);
            var serializer = silo.Services.GetRequiredService<IGrainStorageSerializer>();
            var peerState = new GrainState<RunGrainState>();
            var ourState = new GrainState<RunGrainState>();
            // The whole write (serializer and SQLite, one after another), and the serializer alone, which is all CPU.
            async Task<(double Write, double Json)> MicrosecondsPerWrite(RunGrainState[] states, GrainState<RunGrainState> into, string run)
            {
                var grain = GrainId.Create("run", run);
                long start = Stopwatch.GetTimestamp();
                foreach (var state in states)
                {
                    into.State = state;
                    await storage.WriteStateAsync(RunGrain.StateName, grain, into);
                }
                double write = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                start = Stopwatch.GetTimestamp();
                foreach (var state in states) serializer.Serialize(state);
                return (write / states.Length, Stopwatch.GetElapsedTime(start).TotalMicroseconds / states.Length);
            }

            await MicrosecondsPerWrite(before, peerState, "peer"); // warm-up: compiles, and creates both rows
            await MicrosecondsPerWrite(after, ourState, "ours");
            var peer = new List<(double Write, double Json)>();
            var ours = new List<(double Write, double Json)>();
            for (int round = 0; round < context.Rounds; round++)
            {
                peer.Add(await MicrosecondsPerWrite(before, peerState, "peer"));
                ours.Add(await MicrosecondsPerWrite(after, ourState, "ours"));
            }

            double Kb(RunGrainState[] states) => states.Average(s => serializer.Serialize(s).ToMemory().Length) / 1e3;
            double peerUs = Median(peer.Select(p => p.Write)), ourUs = Median(ours.Select(o => o.Write));
            double peerJson = Median(peer.Select(p => p.Json)), ourJson = Median(ours.Select(o => o.Json));
            double peerKb = Kb(before), ourKb = Kb(after);
            const double framesPerSecond = 80; // live-capacity's 200 runs, a frame every 2.5 s each
            return
            [
                $"{Name} ratio={F(peerUs / ourUs)} us_per_write={F(ourUs, 0)} peer_us_per_write={F(peerUs, 0)} json_us_per_write={F(ourJson, 0)} " +
                $"peer_json_us_per_write={F(peerJson, 0)} kb_per_write={F(ourKb, 1)} peer_kb_per_write={F(peerKb, 1)}",
                $"  a run of {atoms} atoms at every checkpoint (each frame, the default): its state with the {batch} updates or fewer its history " +
                $"lacks ({F(ourKb, 1)} kB) against all {kept} kept ({F(peerKb, 1)} kB); medians of {context.Rounds} alternating rounds of {writes} writes each, " +
                "one row rewritten write after write (json = the storage serializer alone)",
                $"  at 200 runs writing a frame every 2.5 s ({framesPerSecond:0} checkpoints/s): {F(ourKb * framesPerSecond / 1e3, 2)} MB/s of state and " +
                $"{F(ourJson * framesPerSecond / 1e3, 0)} ms/s of JSON against {F(peerKb * framesPerSecond / 1e3, 2)} MB/s and {F(peerJson * framesPerSecond / 1e3, 0)} ms/s",
            ];
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Update <paramref name="sequence"/>: the quench's summaries in turn, numbered on as a long run numbers them.</summary>
    private static RunUpdate Update(List<FrameSummary> summaries, int sequence) => StorableRecords.Of(new RunUpdate
    {
        RunId = "run-state-write",
        Sequence = sequence,
        RecordedAt = DateTimeOffset.UtcNow,
        Summary = summaries[sequence % summaries.Count] with { Frame = sequence - 1, Step = (sequence - 1) * 100L },
    });
}
