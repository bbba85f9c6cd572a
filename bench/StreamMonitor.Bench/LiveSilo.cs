using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Grains.Hosting;
using StreamMonitor.Grains.Runs;

namespace StreamMonitor.Bench;

/// <summary>
/// A StreamMonitor silo in this process, configured as the server configures its own
/// (<see cref="StreamMonitorSilo.AddStreamMonitor"/>: SQLite grain state, memory streams, localhost clustering) on free
/// ports, with its state in a scratch folder that is deleted when the silo stops. Warnings and errors go to stderr, so a
/// failing pipeline shows beside the bench's progress lines instead of in the results; Orleans' own only from errors up,
/// since a loaded 2-core machine makes it warn about every late timer.
/// </summary>
public sealed class LiveSilo : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly IHost _host;
    private readonly string _directory;

    private LiveSilo(IHost host, string directory)
    {
        _host = host;
        _directory = directory;
    }

    private IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<LiveSilo> StartAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders()
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Orleans", LogLevel.Error)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.UseOrleans(silo => silo.AddStreamMonitor(new SiloSettings
        {
            DatabasePath = Path.Combine(directory, "state.db"),
            // The cases write their trajectories beside the silo's folder.
            Policy = RunPolicy.Under(Path.GetDirectoryName(Path.GetFullPath(directory))!),
            SiloPort = FreePort(),
        }));
        var host = builder.Build();
        await host.StartAsync();
        return new LiveSilo(host, directory);
    }

    /// <summary>Registers a run on a LAMMPS dump; its pipeline starts following the file right away.</summary>
    public Task RegisterAsync(string runId, string trajectoryPath) =>
        Grains.GetGrain<IRunGrain>(runId).Register(new RunConfig { TrajectoryPath = trajectoryPath, Format = "lammps" }, Actor.Server);

    /// <summary>
    /// Calls <paramref name="onUpdate"/> with every update published on the all-runs stream from now on, as the
    /// dashboard and the metrics sink receive them.
    /// </summary>
    public async Task SubscribeAllRunsAsync(Action<RunUpdate> onUpdate)
    {
        var client = _host.Services.GetRequiredService<IClusterClient>();
        await client.GetStreamProvider(RunStreams.Provider).GetStream<RunUpdate>(RunStreams.AllRuns)
            .SubscribeAsync((update, _) =>
            {
                onUpdate(update);
                return Task.CompletedTask;
            });
    }

    /// <summary>"run: error" for each of <paramref name="runIds"/> whose pipeline failed.</summary>
    public async Task<IReadOnlyList<string>> FailuresAsync(IEnumerable<string> runIds)
    {
        var statuses = await Task.WhenAll(runIds.Select(id => Grains.GetGrain<IRunGrain>(id).GetStatus()));
        return [.. statuses.Where(s => s.State == RunState.Failed).Select(s => $"{s.RunId}: {s.LastError}")];
    }

    public async ValueTask DisposeAsync()
    {
        using (var cts = new CancellationTokenSource(StopTimeout)) await _host.StopAsync(cts.Token);
        _host.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>
    /// Polls <paramref name="done"/> until it holds or <paramref name="timeout"/> passes; false on timeout. Polling keeps
    /// the waiting out of the measured path: cases stamp times where updates arrive, not where they are awaited.
    /// </summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> done, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > timeout) return false;
            await Task.Delay(20);
        }
        return true;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
