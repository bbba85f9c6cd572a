using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Grains;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>
/// Registers a run and lists it in the registry: the one path the HTTP API, the <c>--runs</c> file and the directory
/// watcher all take, so a run is listed only once its grain has accepted the configuration.
/// </summary>
public sealed class RunRegistrar(IGrainFactory grains)
{
    public async Task<RunStatus> RegisterAsync(string id, RunConfig config)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var run = grains.GetGrain<IRunGrain>(id);
        await run.Register(config);
        await grains.GetGrain<IRunRegistryGrain>(IRunRegistryGrain.Key).Add(id);
        return await run.GetStatus();
    }

    /// <summary>Whether <paramref name="e"/> is the grain refusing a configuration (as opposed to a failure of the cluster).</summary>
    public static bool IsRefusal(Exception e) => e is ArgumentException or FormatException or InvalidOperationException or FileNotFoundException;
}
