namespace StreamMonitor.Grains.Hosting;

/// <summary>
/// How a StreamMonitor silo keeps its state and finds its peers. With <see cref="Redis"/> null it is the embedded
/// default: one localhost silo with grain state in the SQLite file <see cref="DatabasePath"/>. With a Redis endpoint,
/// silos in any number of processes form one cluster through Redis (membership, grain state, reminders), and a run
/// whose silo dies resumes on another one; silos on several hosts each advertise an address the others can reach
/// (<see cref="AdvertisedAddress"/>) and need the trajectories at the same paths (a shared file system).
/// </summary>
public sealed record SiloSettings
{
    public string ServiceId { get; init; } = ServerDefaults.ClusterName;

    public string ClusterId { get; init; } = ServerDefaults.ClusterName;

    /// <summary>Silo-to-silo port, and the client gateway's (0: no gateway; see <see cref="ServerDefaults.GatewayPort"/>).</summary>
    public int SiloPort { get; init; } = ServerDefaults.SiloPort;
    public int GatewayPort { get; init; } = ServerDefaults.GatewayPort;

    /// <summary>SQLite state file of the embedded default; unused with <see cref="Redis"/>.</summary>
    public string? DatabasePath { get; init; }

    /// <summary>The address other silos reach this one at (Redis clusters); null for 127.0.0.1, one host.</summary>
    public System.Net.IPAddress? AdvertisedAddress { get; init; }

    /// <summary>
    /// Orleans' Kubernetes hosting for a silo of a Redis cluster in a pod: name, address and ids come from the pod's
    /// environment (<see cref="KubernetesHosting"/>), so <see cref="AdvertisedAddress"/> must be null and
    /// <see cref="ServiceId"/>/<see cref="ClusterId"/> give way to the pod's; the ports still apply.
    /// </summary>
    public bool Kubernetes { get; init; }

    /// <summary>StackExchange.Redis configuration (<c>host:port[,options]</c>) for clustering, state and reminders; null for the embedded default.</summary>
    public string? Redis { get; init; }

    /// <summary>
    /// How often a followed run's reminder fires. A reminder outlives its silo, so this bounds how long a run whose
    /// silo died waits before it resumes on another one.
    /// </summary>
    public TimeSpan ResumePeriod { get; init; } = ServerDefaults.ResumePeriod;

    /// <summary>What registrations the silo's runs accept (data roots, stop commands, idle times); null: paths under the current folder, no stop commands.</summary>
    public Runs.RunPolicy? Policy { get; init; }

    /// <summary>The commands campaigns may launch shots with, by name (<c>serve --launch-command</c>).</summary>
    public IReadOnlyList<Monitoring.Campaigns.LaunchCommand> LaunchCommands { get; init; } = [];

    public void Validate()
    {
        if (SiloPort is < 1 or > 65535) throw new ArgumentException($"the silo port must be 1..65535, got {SiloPort}");
        if (GatewayPort is < 0 or > 65535) throw new ArgumentException($"the gateway port must be 0 (none) or 1..65535, got {GatewayPort}");
        if (SiloPort == GatewayPort) throw new ArgumentException($"the silo and gateway ports must differ (both {SiloPort})");
        if (Redis is null && string.IsNullOrWhiteSpace(DatabasePath))
            throw new ArgumentException("the embedded silo needs a SQLite state file (or a Redis endpoint)");
        if (Redis is not null && string.IsNullOrWhiteSpace(Redis)) throw new ArgumentException("the Redis endpoint is empty");
        if (Kubernetes)
        {
            if (Redis is null) throw new ArgumentException("Kubernetes hosting (--kubernetes) is for the silos of a Redis cluster: give --redis too");
            if (AdvertisedAddress is not null)
                throw new ArgumentException($"Kubernetes hosting (--kubernetes) advertises the pod's address from POD_IP: drop --advertise {AdvertisedAddress}");
            KubernetesHosting.CheckEnvironment();
        }
        if (ResumePeriod < TimeSpan.FromSeconds(1)) throw new ArgumentException($"the resume period must be at least 1 s, got {ResumePeriod}");
        if (LaunchCommands.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"launch command '{twice.Key}' is defined twice");
        ArgumentException.ThrowIfNullOrWhiteSpace(ServiceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(ClusterId);
    }
}
