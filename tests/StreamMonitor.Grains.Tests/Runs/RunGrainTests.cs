using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.Monitoring.Pipeline;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Grains.Tests.Storage;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Grains.Tests.Runs;

/// <summary>The run grain in a real silo with SQLite storage, following real LAMMPS dumps.</summary>
[Trait("Category", "Slow")]
public sealed class RunGrainTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly Actor Admin = new("user:admin", "127.0.0.1");

    private readonly TempDirectory _temp = new("streammonitor-run-grain-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_finished_dump_is_processed_once_frame_by_frame_in_order()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 1000, dumpEvery: 100);
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));
        var run = silo.Grains.GetGrain<IRunGrain>("finished");

        await run.Register(new RunConfig { TrajectoryPath = dump, Format = "lammps", Stop = StopSpec.ForFile(_temp.File("STOP")) }, Admin);
        var status = await WaitForFrames(run, 11);

        Assert.Equal(RunState.Following, status.State);
        Assert.Equal(11, status.FramesProcessed);
        Assert.Equal(10, status.LastFrame);
        Assert.Equal(11, status.Checkpoint!.FrameIndex);
        Assert.Equal(new FileInfo(dump).Length, status.Checkpoint.ByteOffset);
        Assert.Null(status.LastError);

        var summaries = await run.GetRecentSummaries();
        Assert.Equal(Enumerable.Range(0, 11).Select(i => (long)i), summaries.Select(s => s.Frame));
        Assert.All(summaries, s => Assert.Equal(500, s.Count));
        Assert.All(summaries, s => Assert.Equal("finished", s.RunId));
        Assert.Equal(summaries.Select(s => s.Step).Order(), summaries.Select(s => s.Step));

        // The status (with its Core checkpoint) crosses the wire intact, as it would between silos.
        var serializer = silo.Services.GetRequiredService<Serializer>();
        var copy = serializer.Deserialize<RunStatus>(serializer.SerializeToArray(status));
        Assert.NotNull(copy);
        Assert.NotNull(copy.Checkpoint);
        Assert.Equal(status.Checkpoint, copy.Checkpoint);
        Assert.True(copy.Checkpoint.Identity.IsKnown);
        Assert.Equal((status.RunId, status.State, status.FramesProcessed, status.LastFrame), (copy.RunId, copy.State, copy.FramesProcessed, copy.LastFrame));
        Assert.Equal(dump, copy.Config?.TrajectoryPath);

        // A report from a pipeline that is not the run's (one still running down after a deactivation) is ignored.
        await silo.Grains.GetGrain<IRunReports>("finished").ReportFrame(Guid.NewGuid(), summaries[10] with { Frame = 11 }, status.Checkpoint with { FrameIndex = 12 });
        Assert.Equal(11, (await run.GetStatus()).FramesProcessed);

        // The same registration again changes nothing; another one is a conflict that names what differs.
        var again = await run.Register(new RunConfig { TrajectoryPath = dump, Format = "lammps", Stop = StopSpec.ForFile(_temp.File("STOP")) }, Admin);
        Assert.Equal(11, again.FramesProcessed);
        var conflict = await Assert.ThrowsAsync<RunConflictException>(() =>
            run.Register(new RunConfig { TrajectoryPath = _temp.File("other.lammpstrj"), Format = "lammps", Model = "lj", Stop = StopSpec.ForFile(_temp.File("STOP")) }, Admin));
        Assert.Contains($"trajectory_path: \"{dump}\" → \"{_temp.File("other.lammpstrj")}\"", conflict.Message);
        Assert.DoesNotContain("model", conflict.Message); // only what differs

        // An operator's stop goes through the configured strategy and is recorded.
        var stop = await run.Stop(new Actor("user:alice"));
        Assert.Equal(RunEventKinds.Stop, stop.Kind);
        Assert.Equal("user:alice", stop.Labels["by"]);
        Assert.Equal("succeeded", stop.Labels["outcome"]);
        Assert.True(File.Exists(_temp.File("STOP")));
        Assert.Equal(RunState.Stopping, (await run.GetStatus()).State); // followed until the engine stops writing
        Assert.Contains(await run.GetEvents(), e => e.Kind == RunEventKinds.Stop);

        // Classified through the silo's shared model and its batcher.
        var shared = silo.Services.GetRequiredService<SharedModels>();
        Assert.Equal(11 * 500, shared.Get("lj").Batcher!.Rows);

        // Persisted in the SQLite file under the grain's storage.
        Assert.Equal(1, SqliteSilo.Scalar(_temp.File("runs.db"), $"SELECT COUNT(*) FROM GrainState WHERE StateName = '{RunGrain.StateName}'"));
    }

    [Fact]
    public async Task After_a_silo_restart_the_run_resumes_after_the_last_persisted_frame()
    {
        var finished = Lammps.RunQuench(_temp.Path, runSteps: 1000, dumpEvery: 100);
        var frames = Lammps.SplitFrames(File.ReadAllText(finished));
        Assert.Equal(11, frames.Count);
        string growing = _temp.File("growing.lammpstrj");
        File.WriteAllText(growing, string.Concat(frames.Take(5)));
        string database = _temp.File("runs.db");
        var config = new RunConfig
        {
            TrajectoryPath = growing,
            Format = "lammps",
            CheckpointEvery = 2,
            Stop = StopSpec.ForFile(_temp.File("STOP")),
            RulesJson = """{ "nucleation": { "threshold": 1, "consecutive": 1, "growth": null } }""",
        };

        await using (var silo = await MonitorSilo.StartAsync(database))
        {
            var run = silo.Grains.GetGrain<IRunGrain>("restarted");
            await run.Register(config, Admin);
            await WaitForFrames(run, 5);
            await run.Stop(new Actor("user:bob"));
        }

        // The engine writes on while the silo is down.
        File.AppendAllText(growing, string.Concat(frames.Skip(5)));

        await using (var silo = await MonitorSilo.StartAsync(database))
        {
            var run = silo.Grains.GetGrain<IRunGrain>("restarted");
            var resumed = await run.GetStatus(); // activates the grain, which resumes its pipeline
            Assert.InRange(resumed.FramesProcessed, 4, 5); // every 2nd frame persisted, and once more on deactivation
            var status = await WaitForFrames(run, 11);

            Assert.Equal(10, status.LastFrame);
            Assert.Equal(11, status.Checkpoint!.FrameIndex);
            Assert.Equal(new FileInfo(growing).Length, status.Checkpoint.ByteOffset);
            var summaries = await run.GetRecentSummaries();
            Assert.Equal(Enumerable.Range(0, 11).Select(i => (long)i), summaries.Select(s => s.Frame));
            Assert.All(summaries, s => Assert.Equal(["fcc", "hcp", "bcc"], s.CrystallineClasses));
            var events = await run.GetEvents();
            var stop = Assert.Single(events, e => e.Kind == RunEventKinds.Stop);
            Assert.Equal("user:bob", stop.Labels["by"]);
            // The crystal nucleated before the restart; the new activation remembers that from the recorded history.
            var nucleation = Assert.Single(events, e => e.Kind == RunEventKinds.Nucleation);
            Assert.Equal(0, nucleation.Frame);
            Assert.Equal(RunState.Stopping, status.State);
        }
    }

    [Fact]
    public async Task A_stop_rule_stops_the_run_once_through_its_strategy()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 300, dumpEvery: 100);
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));
        var run = silo.Grains.GetGrain<IRunGrain>("rule");
        string stopFile = _temp.File("halt");

        await run.Register(new RunConfig
        {
            TrajectoryPath = dump,
            RulesJson = """{ "nucleation": { "threshold": 1, "consecutive": 1, "growth": null } }""",
            Stop = StopSpec.ForFile(stopFile),
            StopOn = [RunEventKinds.Nucleation],
        }, Admin);
        var status = await WaitForFrames(run, 4);

        Assert.Equal(RunState.Stopping, status.State);
        Assert.Equal("created stop file " + stopFile, status.Reason);
        Assert.True(File.Exists(stopFile));
        var events = await run.GetEvents();
        var nucleation = Assert.Single(events, e => e.Kind == RunEventKinds.Nucleation);
        var stop = Assert.Single(events, e => e.Kind == RunEventKinds.Stop);
        Assert.Equal("rule:nucleation", stop.Labels["by"]);
        Assert.Equal(RunEventKinds.Nucleation, stop.Labels["reason"]);
        Assert.Equal(nucleation.Frame, stop.Frame);
    }

    [Fact]
    public async Task Summaries_and_events_are_published_in_order_on_the_run_stream_and_the_all_runs_stream()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 300, dumpEvery: 100);
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));
        var one = await silo.SubscribeAsync(RunStreams.OfRun("streamed"));
        var other = await silo.SubscribeAsync(RunStreams.OfRun("someone-else"));
        var all = await silo.SubscribeAsync(RunStreams.AllRuns);
        var run = silo.Grains.GetGrain<IRunGrain>("streamed");

        await run.Register(new RunConfig
        {
            TrajectoryPath = dump,
            RulesJson = """{ "nucleation": { "threshold": 1, "consecutive": 1, "growth": null } }""",
            Stop = StopSpec.ForFile(_temp.File("halt")),
            StopOn = [RunEventKinds.Nucleation],
        }, Admin);
        await WaitForFrames(run, 4);
        var events = await run.GetEvents();
        var clock = Stopwatch.StartNew();
        while (one.Updates.Count < 4 + events.Count && clock.Elapsed < Patience) await Task.Delay(50);
        await Task.Delay(300);

        var updates = one.Updates.ToArray();
        Assert.All(updates, u => Assert.Equal("streamed", u.RunId));
        Assert.Equal([0L, 1, 2, 3], updates.Where(u => u.Summary is not null).Select(u => u.Summary!.Frame));
        Assert.Equal(events.Select(e => (e.Kind, e.Frame)), updates.Where(u => u.Event is not null).Select(u => (u.Event!.Kind, u.Event.Frame)));
        // An event follows the summary of the frame it was detected on, and the stop follows the event.
        int nucleation = Array.FindIndex(updates, u => u.Event?.Kind == RunEventKinds.Nucleation);
        int stop = Array.FindIndex(updates, u => u.Event?.Kind == RunEventKinds.Stop);
        Assert.True(nucleation > Array.FindIndex(updates, u => u.Summary?.Frame == updates[nucleation].Event!.Frame));
        Assert.True(stop > nucleation);
        static string Key(RunUpdate u) => $"{u.RunId} {u.Summary?.Frame} {u.Event?.Kind} {u.Event?.Frame}";
        Assert.Equal(updates.Select(Key), all.Updates.Select(Key));
        Assert.Empty(other.Updates);
    }

    [Fact]
    public async Task A_molecular_run_on_a_dump_of_atom_types_classifies_with_the_atom_roles_it_was_registered_with()
    {
        using var dumps = new UreaStandardDumps();
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));
        var updates = await silo.SubscribeAsync(RunStreams.OfRun("urea-types"));
        var run = silo.Grains.GetGrain<IRunGrain>("urea-types");

        // The dump has no sym_type, element or mass: only the registration's mapping says which type is which atom.
        await Assert.ThrowsAnyAsync<ArgumentException>(() => run.Register(new RunConfig
        {
            TrajectoryPath = dumps.TypesOnly, Format = "lammps", Model = "urea-2024", Roles = "C=3,O=3,N=4",
        }, Admin));
        await run.Register(new RunConfig
        {
            TrajectoryPath = dumps.TypesOnly, Format = "lammps", Model = "urea-2024", Roles = "C=3,O=2,N=4", RolesColumn = "type",
            Stop = StopSpec.ForFile(_temp.File("STOP")),
        }, Admin);
        await WaitForFrames(run, UreaStandardDumps.Frames);
        var clock = Stopwatch.StartNew();
        while (updates.Updates.Count(u => u.Summary is not null) < UreaStandardDumps.Frames && clock.Elapsed < Patience) await Task.Delay(50);

        var summaries = updates.Updates.Where(u => u.Summary is not null).Select(u => u.Summary!).ToArray();
        Assert.Equal(UreaStandardDumps.Frames, summaries.Length);
        Assert.All(summaries, s =>
        {
            Assert.Equal(432, s.Count);
            Assert.True(s.ClassCounts["I"] >= 430, $"frame {s.Frame}: {s.ClassCounts["I"]} of 432 molecules form I");
        });
    }

    [Fact]
    public async Task A_followed_run_holds_a_resume_reminder_until_its_pipeline_ends()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 300, dumpEvery: 100);
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));
        var table = silo.Services.GetRequiredService<Orleans.IReminderTable>();
        var run = silo.Grains.GetGrain<IRunGrain>("reminded");
        var id = run.GetGrainId();

        await run.Register(new RunConfig { TrajectoryPath = dump, EndAfterStop = TimeSpan.FromSeconds(1), Stop = StopSpec.ForFile(_temp.File("STOP")) }, Admin);
        Assert.Contains((await table.ReadRows(id)).Reminders, r => r.ReminderName == RunGrain.ResumeReminder);
        await run.Stop(new Actor("user:dave")); // a stopped run is still followed while the engine writes its last frames

        var clock = Stopwatch.StartNew();
        while ((await table.ReadRows(id)).Reminders.Count > 0)
        {
            Assert.True(clock.Elapsed < Patience, "the reminder outlived the run's pipeline");
            await Task.Delay(100);
        }
        var status = await run.GetStatus();
        Assert.Equal(RunState.Stopped, status.State);
        Assert.Equal(4, status.FramesProcessed);
    }

    [Fact]
    public async Task A_run_written_as_a_file_per_snapshot_is_followed_through_a_glob()
    {
        ExternalProcess.Run("lmp", Lammps.QuenchArguments(_temp.File("snap.*.lammpstrj"), runSteps: 500, dumpEvery: 100), _temp.Path);
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));
        var run = silo.Grains.GetGrain<IRunGrain>("series");

        await run.Register(new RunConfig { TrajectoryPath = _temp.File("snap.*.lammpstrj") }, Admin);
        var status = await WaitForFrames(run, 6);

        Assert.Equal(_temp.File("snap.500.lammpstrj"), status.Checkpoint!.Path);
        Assert.Equal(6, status.Checkpoint.FrameIndex);
        Assert.Equal([0L, 100, 200, 300, 400, 500], (await run.GetRecentSummaries()).Select(s => s.Step));
    }

    [Fact]
    public async Task Registering_an_ended_run_again_follows_it_again_from_its_checkpoint()
    {
        var finished = Lammps.RunQuench(_temp.Path, runSteps: 1000, dumpEvery: 100);
        var frames = Lammps.SplitFrames(File.ReadAllText(finished));
        string growing = _temp.File("growing.lammpstrj");
        File.WriteAllText(growing, string.Concat(frames.Take(6)));
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));
        var run = silo.Grains.GetGrain<IRunGrain>("again");
        var config = new RunConfig { TrajectoryPath = growing, EndAfterIdle = TimeSpan.FromSeconds(1) };

        await run.Register(config, Admin);
        var clock = Stopwatch.StartNew();
        while ((await run.GetStatus()).State != RunState.Finished)
        {
            Assert.True(clock.Elapsed < Patience, "the run did not finish");
            await Task.Delay(100);
        }
        Assert.Equal(6, (await run.GetStatus()).FramesProcessed);

        File.AppendAllText(growing, string.Concat(frames.Skip(6)));
        await run.Register(config, Admin);
        Assert.Equal(RunState.Following, (await run.GetStatus()).State);
        var status = await WaitForFrames(run, 11);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => (long)i), (await run.GetRecentSummaries()).Select(s => s.Frame));
        Assert.Equal(11, status.Checkpoint!.FrameIndex);
    }

    [Fact]
    public async Task A_bad_registration_is_refused_and_nothing_is_stored()
    {
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));
        var run = silo.Grains.GetGrain<IRunGrain>("bad");
        string path = _temp.File("x.lammpstrj");

        await Assert.ThrowsAnyAsync<ArgumentException>(() => run.Register(new RunConfig { TrajectoryPath = path, CheckpointEvery = 0 }, Admin));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => run.Register(new RunConfig { TrajectoryPath = path, Format = "pdb" }, Admin));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => run.Register(new RunConfig { TrajectoryPath = path, StopOn = [RunEventKinds.Nucleation] }, Admin));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => run.Register(new RunConfig { TrajectoryPath = path, Stop = new StopSpec() }, Admin));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => run.Register(new RunConfig { TrajectoryPath = path, Stop = StopSpec.ForCommand("slurm") }, Admin));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => run.Register(new RunConfig { TrajectoryPath = "/etc/passwd" }, Admin));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => run.Register(new RunConfig { TrajectoryPath = path, Stop = StopSpec.ForFile("/etc/STOP") }, Admin));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => silo.Grains.GetGrain<IRunGrain>("../../etc").Register(new RunConfig { TrajectoryPath = path }, Admin));
        Assert.Equal(RunState.Unregistered, (await run.GetStatus()).State);
    }

    [Fact]
    public async Task A_run_whose_file_stops_growing_reports_one_stall_from_its_timer()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 1000, dumpEvery: 100);
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));
        var run = silo.Grains.GetGrain<IRunGrain>("quiet");
        // Frames arrive milliseconds apart here, so the 1 s floor is the timeout.
        await run.Register(new RunConfig
        {
            TrajectoryPath = dump,
            RulesJson = """{"stall": {"minimum_seconds": 1, "initial_seconds": 1}}""",
        }, Admin);
        await WaitForFrames(run, 11);

        var clock = Stopwatch.StartNew();
        IReadOnlyList<RunEvent> stalls = [];
        while (clock.Elapsed < Patience && stalls.Count == 0)
        {
            await Task.Delay(200);
            stalls = (await run.GetEvents()).Where(e => e.Kind == RunEventKinds.Stall).ToArray();
        }
        var stall = Assert.Single(stalls);
        Assert.Equal(10, stall.Frame);
        await Task.Delay(3 * RunGrain.WatchPeriod); // still one: a stall is reported once until the next frame
        Assert.Single((await run.GetEvents()), e => e.Kind == RunEventKinds.Stall);
    }

    private static async Task<RunStatus> WaitForFrames(IRunGrain run, long frames)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await run.GetStatus();
            Assert.True(status.State != RunState.Failed, $"the run failed: {status.LastError}");
            if (status.FramesProcessed >= frames)
            {
                await Task.Delay(300); // nothing more should come
                status = await run.GetStatus();
                Assert.Equal(frames, status.FramesProcessed);
                return status;
            }
            Assert.True(clock.Elapsed < Patience, $"only {status.FramesProcessed} of {frames} frames after {Patience.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
