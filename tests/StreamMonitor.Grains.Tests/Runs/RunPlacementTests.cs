using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Grains.Hosting;
using StreamMonitor.Monitoring;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Grains.Tests.Runs;

/// <summary>Where a cluster of silos (meeting in a real <c>redis-server</c>) puts the runs it is given.</summary>
[Trait("Category", "Slow")]
public sealed class RunPlacementTests : IDisposable
{
    private const int Runs = 40;

    private readonly TempDirectory _temp = new("streammonitor-run-placement-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Runs_registered_through_one_silo_are_spread_over_the_cluster()
    {
        // A finished trajectory of a few small frames: each run reads it once and ends, so forty of them cost little.
        var dump = Lammps.RunQuench(_temp.Path, cells: 3, runSteps: 200, dumpEvery: 100);
        string name = RedisTestServer.UniqueName("placement");
        var settings = new SiloSettings { Redis = RedisTestServer.Endpoint, ServiceId = name, ClusterId = name };
        await using var first = await MonitorSilo.StartAsync(settings);
        await using var second = await MonitorSilo.StartAsync(settings);
        // Until the first silo has the second's manifest, the first is the only place it knows for a run.
        var manifest = first.Services.GetRequiredService<IClusterManifestProvider>();
        var clock = Stopwatch.StartNew();
        while (manifest.Current.Silos.Count < 2)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the first silo did not learn of the second within 60 s");
            await Task.Delay(50);
        }

        // As the API of the first silo would (every call arrives there), in a burst, right after it learnt of the second:
        // a placement that goes by the load the silos publish puts them all on the first, which it knows best.
        var ids = Enumerable.Range(0, Runs).Select(i => $"placed-{i}").ToList();
        await Task.WhenAll(ids.Select(id => first.Grains.GetGrain<IRunGrain>(id).Register(new RunConfig { TrajectoryPath = dump }, Actor.Server)));
        var statuses = await Task.WhenAll(ids.Select(id => first.Grains.GetGrain<IRunGrain>(id).GetStatus()));

        var perSilo = statuses.GroupBy(s => s.Silo).ToDictionary(g => g.Key ?? "(none)", g => g.Count());
        Assert.Equal(2, perSilo.Count);
        // Even shares would be 20 each; a quarter of the runs is far outside what chance leaves to an even spread.
        Assert.All(perSilo, p => Assert.True(p.Value >= Runs / 4, $"{p.Key} hosts {p.Value} of {Runs} runs: {string.Join(", ", perSilo)}"));
    }
}
