using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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

    /// <summary>Registers runs on this silo and hears their updates.</summary>
    public LiveRuns Runs => new(_host.Services);

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

    public async ValueTask DisposeAsync()
    {
        using (var cts = new CancellationTokenSource(StopTimeout)) await _host.StopAsync(cts.Token);
        _host.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
