using StreamMonitor.Core;
using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Grains.Hosting;
using StreamMonitor.Grains.Runs;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Grains.Tests.Runs;

/// <summary>A real silo, in process, configured as the server configures its own (<see cref="StreamMonitorSilo"/>).</summary>
internal sealed class MonitorSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private MonitorSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host.Services;

    /// <summary>The embedded default: SQLite state in <paramref name="databasePath"/>.</summary>
    public static Task<MonitorSilo> StartAsync(string databasePath, Action<ISiloBuilder>? configure = null) =>
        StartAsync(new SiloSettings { DatabasePath = databasePath, ServiceId = "run-grain-tests", ClusterId = "run-grain-tests" }, configure);

    /// <summary>What the test silos accept: the trajectories and stop files tests make under the temp folder.</summary>
    public static RunPolicy TestPolicy { get; } = RunPolicy.Under(Path.GetTempPath());

    /// <summary>A silo on free ports with <paramref name="settings"/> otherwise, and <paramref name="configure"/> after them.</summary>
    public static async Task<MonitorSilo> StartAsync(SiloSettings settings, Action<ISiloBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.AddStreamMonitor(settings with { SiloPort = LoopbackPorts.Next(), Policy = settings.Policy ?? TestPolicy });
            configure?.Invoke(silo);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new MonitorSilo(host);
    }

    /// <summary>Collects what is published on <paramref name="stream"/> from now on.</summary>
    public async Task<Subscription> SubscribeAsync(StreamId stream)
    {
        var client = _host.Services.GetRequiredService<IClusterClient>();
        var updates = new ConcurrentQueue<RunUpdate>();
        var handle = await client.GetStreamProvider(RunStreams.Provider).GetStream<RunUpdate>(stream)
            .SubscribeAsync((update, _) =>
            {
                updates.Enqueue(update);
                return Task.CompletedTask;
            });
        return new Subscription(updates, handle);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(cts.Token);
        _host.Dispose();
    }

    public sealed record Subscription(ConcurrentQueue<RunUpdate> Updates, StreamSubscriptionHandle<RunUpdate> Handle);
}
