using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Serialization;
using StackExchange.Redis;
using StreamMonitor.Contracts;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Bench;

/// <summary>
/// A StreamMonitor cluster of silo processes (<see cref="ClusterSiloProcess"/>, each pinned to cores of its own) that
/// meet in a real <c>redis-server</c> (the one <see cref="RedisTestServer"/> starts or finds), reached from this process
/// as an Orleans client through their gateways, as the production shape of deploy/README.md runs it. Each cluster gets
/// a name of its own, so levels measured one after another do not meet in Redis.
/// </summary>
public sealed class LiveCluster : ILiveHost
{
    private readonly IHost _client;
    private readonly IReadOnlyList<ClusterSiloProcess> _silos;
    private readonly IReadOnlyList<string> _directories;

    private LiveCluster(IHost client, IReadOnlyList<ClusterSiloProcess> silos, IReadOnlyList<string> directories)
    {
        _client = client;
        _silos = silos;
        _directories = directories;
    }

    public LiveRuns Runs => new(_client.Services);

    /// <summary>
    /// Starts a silo on each of <paramref name="cores"/> (one <c>taskset -c</c> list per silo, e.g. "0-1", "2-3"), each
    /// with its state folder beside <paramref name="directory"/> ("silo-0", ...), then connects the client.
    /// </summary>
    public static async Task<LiveCluster> StartAsync(string directory, IReadOnlyList<string> cores, string warmUpDump)
    {
        string redis = RedisTestServer.Endpoint;
        string cluster = RedisTestServer.UniqueName("scaleout");
        var directories = cores.Select((_, k) => $"{directory}-{k}").ToList();
        var silos = new List<ClusterSiloProcess>();
        try
        {
            // One after another: each silo warms up on its cores first, and a silo that joins while another is still
            // compiling would slow that one's warm-up, not the measurement.
            for (int k = 0; k < cores.Count; k++)
                silos.Add(await ClusterSiloProcess.StartAsync(directories[k], redis, cluster, warmUpDump, cores[k]));
            // Each places the runs that reach it among the silos it knows of: all of them, before any run is registered.
            await Task.WhenAll(silos.Select(s => s.WaitForSilosAsync(silos.Count)));
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            LiveSilo.QuietLogging(builder.Logging);
            builder.UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o =>
                {
                    o.ServiceId = cluster;
                    o.ClusterId = cluster;
                });
                client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                client.AddMemoryStreams(RunStreams.Provider);
                client.Services.AddSerializer(serializer => serializer.AddMonitoringTypes());
            });
            var host = builder.Build();
            await host.StartAsync();
            return new LiveCluster(host, silos, directories);
        }
        catch
        {
            foreach (var silo in silos) await silo.DisposeAsync();
            throw;
        }
    }

    public async Task<long> SettledWorkingSetAsync()
    {
        long sum = 0;
        foreach (var silo in _silos) sum += await silo.SettledWorkingSetAsync();
        return sum;
    }

    public double CpuSeconds() => _silos.Sum(s => s.CpuSeconds());

    public double RunStateBytes() => double.NaN; // in Redis

    public async ValueTask DisposeAsync()
    {
        await _client.StopAsync();
        _client.Dispose();
        // One after another, the last started first: silos stopping together cancel each other's stream reads midway,
        // which logs errors that say nothing about the runs.
        foreach (var silo in _silos.Reverse()) await silo.DisposeAsync();
        foreach (var directory in _directories)
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
