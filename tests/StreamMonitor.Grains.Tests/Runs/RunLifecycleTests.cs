using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Grains.Streams;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Grains.Tests.Runs;

/// <summary>A run's life in a real silo on real LAMMPS dumps: its states, how it ends, and its updates as consumers see them.</summary>
[Trait("Category", "Slow")]
public sealed class RunLifecycleTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly Actor Carol = new("user:carol", "192.0.2.7");

    private readonly TempDirectory _temp = new("streammonitor-lifecycle-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_stopped_run_ends_once_its_file_stops_growing_and_every_transition_is_on_the_stream_in_sequence()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 300, dumpEvery: 100);
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));
        var stream = await silo.SubscribeAsync(RunStreams.OfRun("life"));
        var run = silo.Grains.GetGrain<IRunGrain>("life");
        var table = silo.Services.GetRequiredService<Orleans.IReminderTable>();

        await run.Register(new RunConfig { TrajectoryPath = dump, Stop = StopSpec.ForFile("STOP"), EndAfterStop = TimeSpan.FromSeconds(1) }, Carol);
        await WaitAsync(run, s => s.FramesProcessed == 4);
        Assert.Equal(RunState.Following, (await run.GetStatus()).State);
        var stop = await run.Stop(Carol);
        Assert.Equal("user:carol", stop.Labels["by"]);
        Assert.Equal("192.0.2.7", stop.Labels["from"]);
        Assert.True(File.Exists(_temp.File("STOP"))); // beside the trajectory

        var ended = await WaitAsync(run, s => s.State == RunState.Stopped);
        Assert.NotNull(ended.EndedAt);
        Assert.Equal("the file has not grown for 1 s since the stop", ended.Reason);
        Assert.Empty((await table.ReadRows(run.GetGrainId())).Reminders);
        // The grain only asks its pipeline to stop (waiting on it from the grain's turn could deadlock with a report in
        // flight), so the pipeline leaves the silo's set a moment after the state changed.
        await Eventually(() => silo.Services.GetRequiredService<ActivePipelines>().RunIds, ids => !ids.Contains("life"));
        await Assert.ThrowsAsync<RunConflictException>(() => run.Stop(Carol)); // nothing left to stop

        // The stream carried every update once, numbered from 1 without a gap, the status changes among them.
        var updates = await Eventually(() => stream.Updates.ToArray(), u => u.Length == ended.LastSequence);
        Assert.Equal(Enumerable.Range(1, updates.Length).Select(i => (long)i), updates.Select(u => u.Sequence));
        Assert.All(updates, u => Assert.True(u.RecordedAt > DateTimeOffset.UtcNow.AddMinutes(-5)));
        var states = updates.Where(u => u.Status is not null).Select(u => u.Status!).ToArray();
        Assert.Equal([RunState.Registered, RunState.Following, RunState.Stopping, RunState.Stopped], states.Select(c => c.State));
        Assert.Equal([null, RunState.Registered, RunState.Following, RunState.Stopping], states.Select(c => c.Previous));
        Assert.Equal(("user:carol", "192.0.2.7"), (states[0].By, states[0].From));
        Assert.Equal("user:carol", states[2].By);
        Assert.Equal("server", states[3].By);
        Assert.All(updates.Where(u => u.Summary is not null), u => Assert.Equal("lj", u.Summary!.Model));
        // The status change to following comes before the first frame's summary, the stop's after its event.
        Assert.Equal(RunUpdate.StatusType, updates[1].Type);
        Assert.Equal(0, updates[2].Summary!.Frame);
        int stopEvent = Array.FindIndex(updates, u => u.Event?.Kind == RunEventKinds.Stop);
        Assert.Equal(RunState.Stopping, updates[stopEvent + 1].Status!.State);

        // The registry heard of it all without anyone waking the run.
        var listing = await silo.Grains.GetGrain<IRunRegistryGrain>(IRunRegistryGrain.Key).Get("life");
        Assert.Equal(RunState.Stopped, listing!.State);
        Assert.Equal(4, listing.FramesProcessed);
        Assert.Equal(ended.LastSequence, listing.LastSequence);
    }

    [Fact]
    public async Task An_idle_run_finishes_a_removed_one_is_listed_as_removed_and_a_purged_one_is_forgotten()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 200, dumpEvery: 100);
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));
        var registry = silo.Grains.GetGrain<IRunRegistryGrain>(IRunRegistryGrain.Key);
        var idle = silo.Grains.GetGrain<IRunGrain>("idle");
        var live = silo.Grains.GetGrain<IRunGrain>("live");
        var waiting = _temp.File("not-yet.lammpstrj");

        await idle.Register(new RunConfig { TrajectoryPath = dump, EndAfterIdle = TimeSpan.FromSeconds(1) }, Carol);
        await live.Register(new RunConfig { TrajectoryPath = waiting }, Carol); // waits for a file that does not come yet
        // One whose file never comes at all ends too, after its end_after_idle.
        var queued = silo.Grains.GetGrain<IRunGrain>("queued");
        await queued.Register(new RunConfig { TrajectoryPath = _temp.File("never.lammpstrj"), EndAfterIdle = TimeSpan.FromSeconds(1) }, Carol);
        var finished = await WaitAsync(idle, s => s.State == RunState.Finished);
        Assert.Equal(3, finished.FramesProcessed);
        Assert.Equal("the file has not grown for 1 s", finished.Reason);
        var gaveUp = await WaitAsync(queued, s => s.State == RunState.Finished);
        Assert.StartsWith("no frame came within 1 s of the registration", gaveUp.Reason);
        Assert.Equal(["live"], (await registry.Live()));

        var removed = await live.Remove(Carol, purge: false);
        Assert.Equal(RunState.Removed, removed.State);
        Assert.Equal("removed by user:carol from 192.0.2.7", removed.Reason);
        await Eventually(() => silo.Services.GetRequiredService<ActivePipelines>().Count, n => n == 0);
        Assert.Empty(await registry.Live());
        Assert.Equal(["idle", "queued"], (await registry.List(null, null, 10)).Runs.Select(r => r.RunId));
        Assert.Equal(["live"], (await registry.List(RunState.Removed, null, 10)).Runs.Select(r => r.RunId));
        Assert.Equal(RunState.Removed, (await live.GetStatus()).State); // its history is kept until purged

        // The id is free again, and the new run's numbers go on after the removed one's.
        long before = (await live.GetStatus()).LastSequence;
        var again = await live.Register(new RunConfig { TrajectoryPath = dump, Model = "lj" }, Carol);
        Assert.Equal(RunState.Registered, again.State);
        Assert.True(again.LastSequence > before);

        await live.Remove(Carol, purge: true);
        Assert.Null(await registry.Get("live"));
        var purged = await live.GetStatus();
        Assert.Equal(RunState.Unregistered, purged.State);
        Assert.Null(purged.Config);
        Assert.Empty((await live.GetUpdates(0, 100)).Updates); // the history is gone
        // ... but not the numbering: a consumer's cursor stays below the next run's updates.
        Assert.True((await live.Register(new RunConfig { TrajectoryPath = dump }, Carol)).LastSequence > again.LastSequence);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => silo.Grains.GetGrain<IRunGrain>("never").Remove(Carol, purge: true));
    }

    [Fact]
    public async Task A_run_that_stalls_is_stalled_until_frames_come_again()
    {
        var (growing, frames) = GrowingDump(written: 6);
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));
        var run = silo.Grains.GetGrain<IRunGrain>("stalling");

        await run.Register(new RunConfig { TrajectoryPath = growing, RulesJson = """{"stall": {"minimum_seconds": 1, "initial_seconds": 1}}""" }, Carol);
        var stalled = await WaitAsync(run, s => s.State == RunState.Stalled);
        Assert.Equal(6, stalled.FramesProcessed);
        Assert.StartsWith("no new frame for", stalled.Reason);

        File.AppendAllText(growing, frames[6]);
        var following = await WaitAsync(run, s => s.State == RunState.Following);
        Assert.Equal("frames arrive again (frame 6)", following.Reason);
    }

    [Fact]
    public async Task A_run_that_enters_a_basin_is_committed()
    {
        var dump = Lammps.RunQuench(_temp.Path, runSteps: 300, dumpEvery: 100);
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));
        var run = silo.Grains.GetGrain<IRunGrain>("committing");

        await run.Register(new RunConfig
        {
            TrajectoryPath = dump,
            RulesJson = """{"basins": [{"name": "B", "bounds": {"n_max": [1, null]}}]}""",
        }, Carol);
        var committed = await WaitAsync(run, s => s.State == RunState.Committed);
        Assert.StartsWith("committed to B at frame", committed.Reason);
        await WaitAsync(run, s => s.FramesProcessed == 4); // still followed
        Assert.Equal(RunState.Committed, (await run.GetStatus()).State);
    }

    [Fact]
    public async Task A_consumer_that_joins_late_gets_every_update_once_in_order_from_the_run_then_the_stream()
    {
        var (growing, frames) = GrowingDump(written: 4);
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));
        var run = silo.Grains.GetGrain<IRunGrain>("joined");
        await run.Register(new RunConfig { TrajectoryPath = growing }, Carol);
        await WaitAsync(run, s => s.FramesProcessed == 4);

        // One consumer from the start (all it missed comes from the run), one from the middle of what was recorded.
        var client = silo.Services.GetRequiredService<IClusterClient>();
        var fromStart = new RunUpdateFollower(client, "joined");
        var fromMiddle = new RunUpdateFollower(client, "joined");
        using var cts = new CancellationTokenSource(Patience);
        var first = CollectAsync(fromStart.FollowAsync(0, cts.Token), 11);
        var second = CollectAsync(fromMiddle.FollowAsync(3, cts.Token), 11);

        // The rest of the frames arrive one by one while both follow the stream.
        foreach (var frame in frames.Skip(4))
        {
            File.AppendAllText(growing, frame);
            await Task.Delay(150);
        }
        var all = await first;
        var late = await second;

        var expected = (await run.GetUpdates(0, 1000)).Updates;
        Assert.Equal(expected.Select(u => u.Sequence), all.Select(u => u.Sequence));
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(u => u.Sequence));
        Assert.Equal(Enumerable.Range(0, 11).Select(i => (long)i), all.Where(u => u.Summary is not null).Select(u => u.Summary!.Frame));
        Assert.Equal(all.Skip(3).Select(u => u.Sequence), late.Select(u => u.Sequence));
        Assert.Equal(0, fromStart.Missed);
        Assert.Equal(0, fromMiddle.Missed);
    }

    /// <summary>
    /// An 11-frame LAMMPS quench, of which the first <paramref name="written"/> frames are in the growing file so far; the
    /// test appends the rest as an engine would.
    /// </summary>
    private (string Path, List<string> Frames) GrowingDump(int written)
    {
        var frames = Lammps.SplitFrames(File.ReadAllText(Lammps.RunQuench(_temp.Path, runSteps: 1000, dumpEvery: 100)));
        string growing = _temp.File("growing.lammpstrj");
        File.WriteAllText(growing, string.Concat(frames.Take(written)));
        return (growing, frames);
    }

    /// <summary>Reads <paramref name="updates"/> until the one with the 11th frame's summary, then stops following.</summary>
    private static async Task<List<RunUpdate>> CollectAsync(IAsyncEnumerable<RunUpdate> updates, int frames)
    {
        var seen = new List<RunUpdate>();
        await foreach (var update in updates)
        {
            seen.Add(update);
            if (update.Summary?.Frame == frames - 1) break;
        }
        return seen;
    }

    private static async Task<RunStatus> WaitAsync(IRunGrain run, Func<RunStatus, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await run.GetStatus();
            if (done(status)) return status;
            Assert.True(status.State != RunState.Failed, $"the run failed: {status.LastError}");
            Assert.True(clock.Elapsed < Patience, $"not there after {Patience.TotalSeconds} s: {status.State} ({status.Reason}), {status.FramesProcessed} frames");
            await Task.Delay(50);
        }
    }

    private static async Task<T> Eventually<T>(Func<T> read, Func<T, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = read();
            if (done(value) || clock.Elapsed > TimeSpan.FromSeconds(10)) return value;
            await Task.Delay(50);
        }
    }
}
