using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Serialization;
using StackExchange.Redis;
using StreamMonitor.Contracts;
using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Monitoring.Pipeline;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Grains.Storage;

namespace StreamMonitor.Grains.Hosting;

/// <summary>
/// Everything a silo needs to host StreamMonitor's grains, in one place so the server, the tests and the benchmarks
/// run the same configuration: clustering, the <see cref="RunGrain.StorageName"/> grain storage, reminders, and the
/// <see cref="RunStreams.Provider"/> streams with their pub-sub store.
/// </summary>
public static class StreamMonitorSilo
{
    /// <summary>How often stream queues are polled for new items: the delay a summary may wait for its subscribers.</summary>
    public static readonly TimeSpan StreamPullPeriod = TimeSpan.FromMilliseconds(20);

    public static ISiloBuilder AddStreamMonitor(this ISiloBuilder silo, SiloSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        silo.Services.AddSerializer(serializer => serializer.AddMonitoringTypes());
        silo.Services.Configure<RunGrainOptions>(o => o.ResumePeriod = settings.ResumePeriod);
        silo.Services.AddSingleton<SharedModels>(_ => new SharedModels());
        silo.Services.AddSingleton<ComputeSlots>(_ => new ComputeSlots());
        silo.Services.AddSingleton(settings.Policy ?? RunPolicy.Under(Directory.GetCurrentDirectory()));
        silo.Services.AddSingleton<RunRegistrar>();
        silo.Services.AddSingleton(new Campaigns.LaunchCommands(settings.LaunchCommands));
        silo.Services.AddSingleton<ActivePipelines>();
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        // Memory streams deliver through queue grains; their subscriptions live in the pub-sub store. Orleans pulls
        // the queues every 100 ms by default, which alone would be most of a live summary's latency budget.
        silo.AddMemoryStreams(RunStreams.Provider, streams => streams.ConfigurePullingAgent(agent =>
            agent.Configure(o => o.GetQueueMsgsTimerPeriod = StreamPullPeriod)));

        if (settings.Redis is not { } redis)
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
            silo.AddSqliteGrainStorage(RunGrain.StorageName, o => o.Path = settings.DatabasePath!);
            // One silo: subscriptions and reminders end with the process, and StartupResumer wakes the runs and campaigns at start.
            silo.AddMemoryGrainStorage(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME);
            silo.UseInMemoryReminderService();
            return silo;
        }

        var endpoint = ConfigurationOptions.Parse(redis);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = settings.ServiceId;
            o.ClusterId = settings.ClusterId;
        });
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = settings.Kubernetes ? KubernetesHosting.PodAddress() : settings.AdvertisedAddress ?? IPAddress.Loopback;
            o.SiloPort = settings.SiloPort;
            o.GatewayPort = settings.GatewayPort;
        });
        silo.UseRedisClustering(o => o.ConfigurationOptions = endpoint.Clone());
        silo.AddRedisGrainStorage(RunGrain.StorageName, o => o.ConfigurationOptions = endpoint.Clone());
        silo.AddRedisGrainStorage(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME, o => o.ConfigurationOptions = endpoint.Clone());
        silo.UseRedisReminderService(o => o.ConfigurationOptions = endpoint.Clone());
        // Registered after the ids above, so the pod's ORLEANS_SERVICE_ID and ORLEANS_CLUSTER_ID win.
        return settings.Kubernetes ? KubernetesHosting.Use(silo) : silo;
    }
}
