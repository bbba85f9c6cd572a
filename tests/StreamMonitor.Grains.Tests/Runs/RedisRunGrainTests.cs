using System.Diagnostics;
using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Grains.Hosting;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Grains.Tests.Runs;

/// <summary>The run grain on a silo whose membership, state and reminders live in a real <c>redis-server</c>.</summary>
[Trait("Category", "Slow")]
public sealed class RedisRunGrainTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _temp = new("streammonitor-redis-run-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_run_persisted_in_Redis_is_resumed_by_its_reminder_on_a_new_silo_without_being_called()
    {
        var finished = Lammps.RunQuench(_temp.Path, runSteps: 1000, dumpEvery: 100);
        var frames = File.ReadAllText(finished).Split("ITEM: TIMESTEP").Skip(1).Select(f => "ITEM: TIMESTEP" + f).ToList();
        string growing = _temp.File("growing.lammpstrj");
        File.WriteAllText(growing, string.Concat(frames.Take(4)));
        string name = RedisTestServer.UniqueName("run-grain");
        var settings = new SiloSettings { Redis = RedisTestServer.Endpoint, ServiceId = name, ClusterId = name, ResumePeriod = TimeSpan.FromSeconds(1) };

        await using (var silo = await MonitorSilo.StartAsync(settings))
        {
            var run = silo.Grains.GetGrain<IRunGrain>("redis");
            await run.Register(new RunConfig { TrajectoryPath = growing, Format = "lammps" }, Actor.Server);
            await WaitAsync(async () => (await run.GetStatus()).FramesProcessed == 4);
        }

        File.AppendAllText(growing, string.Concat(frames.Skip(4)));
        await using (var silo = await MonitorSilo.StartAsync(settings))
        {
            // Nobody calls the run: its reminder, read back from Redis, activates it, and it publishes what it records.
            var updates = await silo.SubscribeAsync(RunStreams.OfRun("redis"));
            await WaitAsync(() => Task.FromResult(updates.Updates.Any(u => u.Summary?.Frame == frames.Count - 1)));
            // In order and from the checkpoint on (the subscription may have missed the first of them).
            var published = updates.Updates.Where(u => u.Summary is not null).Select(u => u.Summary!.Frame).ToArray();
            Assert.InRange(published[0], 4, frames.Count - 1);
            Assert.Equal(Enumerable.Range((int)published[0], published.Length).Select(i => (long)i), published);

            var run = silo.Grains.GetGrain<IRunGrain>("redis");
            var status = await run.GetStatus();
            Assert.Equal(frames.Count, status.FramesProcessed);
            Assert.Equal(new FileInfo(growing).Length, status.Checkpoint!.ByteOffset);
            Assert.Equal(Enumerable.Range(0, frames.Count).Select(i => (long)i), (await run.GetRecentSummaries()).Select(s => s.Frame));
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> done)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(clock.Elapsed < Patience, $"not done after {Patience.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}
