using StreamMonitor.Core;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Dashboard.Hosting;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Monitoring;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>
/// A campaign's worth of short runs on one server, in this process so the test can look inside the silo: once they have
/// ended they hold nothing, and listing them is one call to the registry.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ManyRunsTests : IDisposable
{
    private const int Runs = 1000;

    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_thousand_finished_runs_hold_no_activation_timer_reminder_or_tailer_and_are_listed_in_one_grain_call()
    {
        var dump = Lammps.RunQuench(_temp.Path, cells: 2, runSteps: 0, dumpEvery: 100); // one frame of 32 atoms
        var calls = new GrainCalls();
        var options = new ServerOptions
        {
            Port = LoopbackPorts.Next(),
            SiloPort = LoopbackPorts.Next(),
            DataDirectory = _temp.File("data"),
            DataRoots = [_temp.Path],
            EndAfterIdle = TimeSpan.FromSeconds(1),
        };
        await using var app = ServerHost.Create(options, silo => silo.AddIncomingGrainCallFilter(calls));
        await app.StartAsync();
        var registrar = app.Services.GetRequiredService<RunRegistrar>();
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var registry = grains.GetGrain<IRunRegistryGrain>(IRunRegistryGrain.Key);

        var ids = Enumerable.Range(0, Runs).Select(i => $"shot-{i:D4}").ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) =>
            await registrar.RegisterAsync(id, new RunConfig { TrajectoryPath = dump }, Actor.Server));
        var clock = Stopwatch.StartNew();
        while ((await registry.List(RunState.Finished, null, 1)).Total < Runs)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"{(await registry.List(RunState.Finished, null, 1)).Total} of {Runs} finished");
            await Task.Delay(500);
        }

        // Ended runs let go of everything: their pipelines (tailer and file watch), reminders, and activations (with their timers).
        var pipelines = app.Services.GetRequiredService<ActivePipelines>();
        var management = grains.GetGrain<IManagementGrain>(0);
        int active = -1;
        clock.Restart();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var statistics = await management.GetSimpleGrainStatistics();
            active = statistics.Where(s => s.GrainType.Contains(nameof(RunGrain), StringComparison.Ordinal)).Sum(s => s.ActivationCount);
            if (active == 0 && pipelines.Count == 0) break;
            await Task.Delay(500);
        }
        Assert.Equal(0, pipelines.Count);
        Assert.Equal(0, active);
        var reminders = app.Services.GetRequiredService<Orleans.IReminderTable>();
        foreach (var id in ids) Assert.Empty((await reminders.ReadRows(grains.GetGrain<IRunGrain>(id).GetGrainId())).Reminders);

        // Listing all of them over HTTP is one call to the registry and wakes no run.
        calls.Clear();
        var page = JsonNode.Parse(await _http.GetStringAsync($"http://127.0.0.1:{options.Port}/api/runs?limit=1000"))!;
        Assert.Equal(Runs, page["runs"]!.AsArray().Count);
        Assert.Equal(Runs, page["total"]!.GetValue<int>());
        Assert.All(page["runs"]!.AsArray(), r => Assert.Equal("finished", r!["state"]!.GetValue<string>()));
        Assert.Equal([$"{nameof(IRunRegistryGrain)}.{nameof(IRunRegistryGrain.List)}"], calls.Made);
        await app.StopAsync();
    }

    /// <summary>Counts the calls made to StreamMonitor's own grains.</summary>
    private sealed class GrainCalls : IIncomingGrainCallFilter
    {
        private readonly ConcurrentQueue<string> _made = new();

        public IReadOnlyList<string> Made => _made.ToArray();

        public void Clear() => _made.Clear();

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.DeclaringType is { } type && type.Namespace?.StartsWith("StreamMonitor", StringComparison.Ordinal) == true)
                _made.Enqueue($"{type.Name}.{context.InterfaceMethod.Name}");
            return context.Invoke();
        }
    }
}
