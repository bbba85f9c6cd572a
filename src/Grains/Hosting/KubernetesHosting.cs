using System.Net;
using Orleans.Hosting.Kubernetes;

namespace StreamMonitor.Grains.Hosting;

/// <summary>
/// What a silo of a Redis cluster needs from its pod under Orleans' Kubernetes hosting (<see cref="SiloSettings.Kubernetes"/>):
/// the silo takes its name from <c>POD_NAME</c>, advertises <c>POD_IP</c> (<see cref="PodAddress"/>; it listens on all
/// interfaces at the silo port), and takes the service and cluster ids from <c>ORLEANS_SERVICE_ID</c> and
/// <c>ORLEANS_CLUSTER_ID</c>. The package watches the pods labelled with those ids in <c>POD_NAMESPACE</c> and declares
/// dead the silo whose pod was deleted; this setup also has it delete the pod of a silo the cluster declared dead, so
/// the pod is replaced. The package would guess a missing name (the host name), namespace (the service account's) or
/// address (a DNS lookup); here all of them must be set, so a pod spec without them fails at start naming what is missing.
/// </summary>
public static class KubernetesHosting
{
    /// <summary>The environment variables the hosting package reads, every one required.</summary>
    public static readonly IReadOnlyList<string> EnvironmentVariables =
    [
        KubernetesHostingOptions.PodNameEnvironmentVariable,
        KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
        KubernetesHostingOptions.PodIPEnvironmentVariable,
        KubernetesHostingOptions.ServiceIdEnvironmentVariable,
        KubernetesHostingOptions.ClusterIdEnvironmentVariable,
    ];

    /// <summary>
    /// The pod labels the package selects the cluster's pods by, each with the variable whose value it must carry (the
    /// package relabels its own pod where they differ, which needs the <c>patch</c> verb).
    /// </summary>
    public static readonly IReadOnlyList<(string Label, string Variable)> PodLabels =
    [
        (KubernetesHostingOptions.ServiceIdLabel, KubernetesHostingOptions.ServiceIdEnvironmentVariable),
        (KubernetesHostingOptions.ClusterIdLabel, KubernetesHostingOptions.ClusterIdEnvironmentVariable),
    ];

    /// <summary>
    /// What the silo's service account may do to the pods of its namespace: read its own pod and label it, list and
    /// watch the cluster's pods, and delete the pod of a silo declared dead.
    /// </summary>
    public static readonly IReadOnlyList<string> PodVerbs = ["get", "list", "watch", "patch", "delete"];

    /// <summary>Throws one <see cref="ArgumentException"/> naming every variable that is unset or empty, or a pod address that is not one.</summary>
    public static void CheckEnvironment()
    {
        var missing = EnvironmentVariables.Where(v => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v))).ToList();
        if (missing.Count > 0)
            throw new ArgumentException(
                $"Kubernetes hosting needs the environment variable{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}, " +
                "which the pod spec sets (see deploy/kubernetes/streammonitor.yaml)");
        _ = PodAddress();
    }

    /// <summary>
    /// The pod's address (<c>POD_IP</c>), which the silo advertises. Set by this setup rather than left to the package:
    /// Orleans fills an unset address with one of the host's own before the package's turn, which only fills an unset one.
    /// </summary>
    public static IPAddress PodAddress()
    {
        var address = Environment.GetEnvironmentVariable(KubernetesHostingOptions.PodIPEnvironmentVariable);
        return IPAddress.TryParse(address, out var ip)
            ? ip
            : throw new ArgumentException($"{KubernetesHostingOptions.PodIPEnvironmentVariable}: '{address}' is not an IP address");
    }

    internal static ISiloBuilder Use(ISiloBuilder silo) =>
        // A silo the cluster declared dead stops; deleting its pod lets the deployment start a fresh one at once.
        silo.UseKubernetesHosting(options => options.Configure(o => o.DeleteDefunctSiloPods = true));
}
