using StreamMonitor.Dashboard.Api;
using StreamMonitor.Dashboard.Security;
using StreamMonitor.Grains.Hosting;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>How <c>streammonitor serve</c> runs: the HTTP port on localhost and where durable state lives.</summary>
public sealed record ServerOptions
{
    public int Port { get; init; } = 5080;

    /// <summary>Orleans' silo-to-silo and client gateway ports (localhost).</summary>
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    /// <summary>Folder of the SQLite state file (<c>state.db</c>).</summary>
    public required string DataDirectory { get; init; }

    public string DatabasePath => Path.Combine(DataDirectory, "state.db");

    /// <summary>A directory whose new files matching <see cref="WatchGlob"/> become runs; null for none.</summary>
    public string? WatchDirectory { get; init; }

    public string WatchGlob { get; init; } = "**/*.lammpstrj";

    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Redis endpoint shared by the silos of a cluster (state, membership, reminders); null for the embedded SQLite default.</summary>
    public string? Redis { get; init; }

    /// <summary>The address other silos of a Redis cluster reach this one at; null for 127.0.0.1 (every silo on one host).</summary>
    public System.Net.IPAddress? AdvertisedAddress { get; init; }

    /// <summary>Names the cluster in Redis, so several deployments can share one Redis server.</summary>
    public string ClusterName { get; init; } = "streammonitor";

    /// <summary>How soon a run whose silo died resumes on another silo.</summary>
    public TimeSpan ResumePeriod { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Runs to register at start (from <c>--runs FILE</c>); already registered ones are left as they are.</summary>
    public IReadOnlyList<RunRegistration> Runs { get; init; } = [];

    /// <summary>The listening address, credentials and HTTPS (<c>--listen</c>, <c>--auth</c>, <c>--insecure</c>, <c>--https-cert</c>).</summary>
    public SecurityOptions Security { get; init; } = new();

    public SiloSettings Silo => new()
    {
        ServiceId = ClusterName,
        ClusterId = ClusterName,
        SiloPort = SiloPort,
        GatewayPort = GatewayPort,
        DatabasePath = DatabasePath,
        Redis = Redis,
        AdvertisedAddress = AdvertisedAddress,
        ResumePeriod = ResumePeriod,
    };

    public void Validate()
    {
        foreach (var (name, port) in new[] { ("--port", Port), ("--silo-port", SiloPort), ("--gateway-port", GatewayPort) })
            if (port is < 1 or > 65535) throw new ArgumentException($"{name} must be 1..65535, got {port}");
        if (string.IsNullOrWhiteSpace(DataDirectory)) throw new ArgumentException("--data needs a folder");
        if (WatchDirectory is { } watched && !Directory.Exists(watched)) throw new ArgumentException($"--watch: {watched}: no such directory");
        if (string.IsNullOrWhiteSpace(WatchGlob)) throw new ArgumentException("--watch-glob needs a pattern");
        if (WatchInterval <= TimeSpan.Zero) throw new ArgumentException("the watch interval must be positive");
        Silo.Validate();
    }
}
