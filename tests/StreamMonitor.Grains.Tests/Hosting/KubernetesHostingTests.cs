using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;
using StreamMonitor.Grains.Hosting;

namespace StreamMonitor.Grains.Tests.Hosting;

/// <summary>
/// A Redis silo with <see cref="SiloSettings.Kubernetes"/> takes its name, address and ids from the pod's environment.
/// The silo is built but not started: starting it would reach for the Kubernetes API (the pod watcher), which these
/// tests do not have, so they read the options the silo would start with.
/// </summary>
public sealed class KubernetesHostingTests
{
    private static IHost Build(SiloSettings settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo => silo.AddStreamMonitor(settings));
        return builder.Build();
    }

    [Fact]
    public void The_silo_is_named_after_its_pod_advertises_the_pod_address_and_takes_the_pod_ids()
    {
        var pod = new Dictionary<string, string>
        {
            [KubernetesHostingOptions.PodNameEnvironmentVariable] = "streammonitor-7d9f-x2",
            [KubernetesHostingOptions.PodNamespaceEnvironmentVariable] = "md",
            [KubernetesHostingOptions.PodIPEnvironmentVariable] = "10.42.0.17",
            [KubernetesHostingOptions.ServiceIdEnvironmentVariable] = "pod-service",
            [KubernetesHostingOptions.ClusterIdEnvironmentVariable] = "pod-cluster",
        };
        Assert.Equal(pod.Keys.Order(), KubernetesHosting.EnvironmentVariables.Order());
        // The hosting package reads the process environment; nothing else in these tests reads these variables.
        var before = pod.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (name, value) in pod) Environment.SetEnvironmentVariable(name, value);
            using var host = Build(new SiloSettings { Redis = "127.0.0.1:6395", Kubernetes = true, SiloPort = 11111, ServiceId = "flag", ClusterId = "flag" });
            var services = host.Services;

            Assert.Equal("streammonitor-7d9f-x2", services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName);
            var endpoint = services.GetRequiredService<IOptions<EndpointOptions>>().Value;
            Assert.Equal(IPAddress.Parse("10.42.0.17"), endpoint.AdvertisedIPAddress);
            Assert.Equal(new IPEndPoint(IPAddress.Any, 11111), endpoint.SiloListeningEndpoint);
            var cluster = services.GetRequiredService<IOptions<ClusterOptions>>().Value;
            Assert.Equal(("pod-service", "pod-cluster"), (cluster.ServiceId, cluster.ClusterId));
            Assert.True(services.GetRequiredService<IOptions<KubernetesHostingOptions>>().Value.DeleteDefunctSiloPods);
        }
        finally
        {
            foreach (var (name, value) in before) Environment.SetEnvironmentVariable(name, value);
        }
    }

    [Fact]
    public void Without_kubernetes_hosting_a_redis_silo_advertises_its_given_address_under_its_own_ids()
    {
        using var host = Build(new SiloSettings { Redis = "127.0.0.1:6395", AdvertisedAddress = IPAddress.Parse("10.0.0.5"), SiloPort = 11111, ServiceId = "flag", ClusterId = "flag" });
        Assert.Equal(IPAddress.Parse("10.0.0.5"), host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value.AdvertisedIPAddress);
        Assert.Equal("flag", host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId);
        Assert.Empty(host.Services.GetServices<IConfigureOptions<KubernetesHostingOptions>>());
    }
}
