using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamMonitor.Core;
using StreamMonitor.Grains.Hosting;
using StreamMonitor.Grains.Runs;

namespace StreamMonitor.Bench;

/// <summary>
/// A StreamMonitor silo in this process, configured as the server configures its own
/// (<see cref="StreamMonitorSilo.AddStreamMonitor"/>: SQLite grain state, memory streams, localhost clustering) on free
/// ports, with its state in a scratch folder that is deleted when the silo stops; or, given a Redis endpoint, one silo of a
/// Redis cluster as <c>serve --redis</c> configures it, with a client gateway. Warnings and errors go to stderr, so a
/// failing pipeline shows beside the bench's progress lines instead of in the results; Orleans' own only from errors up,
/// since a loaded 2-core machine makes it warn about every late timer.
/// </summary>
public sealed class LiveSilo : ILiveHost
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly IHost _host;
    private readonly string _directory;

    private LiveSilo(IHost host, string directory)
    {
        _host = host;
        _directory = directory;
    }

    /// <summary>The silo's services (its grain storage, its serializers).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Registers runs on this silo and hears their updates.</summary>
    public LiveRuns Runs => new(_host.Services);

    /// <param name="redis">Join the cluster <paramref name="cluster"/> through this Redis server; null for the embedded default.</param>
    public static async Task<LiveSilo> StartAsync(string directory, string? redis = null, string? cluster = null)
    {
        Directory.CreateDirectory(directory);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        QuietLogging(builder.Logging);
        builder.UseOrleans(silo => silo.AddStreamMonitor(new SiloSettings
        {
            DatabasePath = Path.Combine(directory, "state.db"),
            // The cases write their trajectories beside the silo's folder.
            Policy = RunPolicy.Under(Path.GetDirectoryName(Path.GetFullPath(directory))!),
            SiloPort = LoopbackPorts.Next(),
            GatewayPort = redis is null ? 0 : LoopbackPorts.Next(),
            Redis = redis,
            ServiceId = cluster ?? ServerDefaults.ClusterName,
            ClusterId = cluster ?? ServerDefaults.ClusterName,
        }));
        var host = builder.Build();
        await host.StartAsync();
        return new LiveSilo(host, directory);
    }

    /// <summary>
    /// Waits until this silo knows of <paramref name="count"/> silos (their grain types in its cluster manifest): until
    /// then it places every new activation among those it knows, so runs registered at once would not spread.
    /// </summary>
    public async Task WaitForSilosAsync(int count, TimeSpan timeout)
    {
        var manifest = _host.Services.GetRequiredService<IClusterManifestProvider>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (manifest.Current.Silos.Count < count)
        {
            if (clock.Elapsed > timeout)
                throw new BenchException($"the silo knew of {manifest.Current.Silos.Count} of {count} silos after {timeout.TotalSeconds:0} s");
            await Task.Delay(50);
        }
    }

    /// <summary>Warnings and errors to stderr; Orleans' own from errors up.</summary>
    public static void QuietLogging(ILoggingBuilder logging) =>
        logging.ClearProviders()
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Orleans", LogLevel.Error)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

    public Task<long> SettledWorkingSetAsync() => Task.FromResult(ProcessMemory.Settled().WorkingSetBytes);

    public double CpuSeconds()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    public double RunStateBytes()
    {
        string database = Path.Combine(_directory, "state.db");
        if (!File.Exists(database)) return double.NaN; // a silo of a Redis cluster
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT AVG(LENGTH(Payload)) FROM GrainState WHERE StateName = $state";
        command.Parameters.AddWithValue("$state", RunGrain.StateName);
        return command.ExecuteScalar() is double mean ? mean : double.NaN;
    }

    public async ValueTask DisposeAsync()
    {
        using (var cts = new CancellationTokenSource(StopTimeout)) await _host.StopAsync(cts.Token);
        _host.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
