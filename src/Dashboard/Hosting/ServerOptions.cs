using System.Text.RegularExpressions;
using StreamMonitor.Dashboard.Api;
using StreamMonitor.Dashboard.Security;
using StreamMonitor.Grains.Hosting;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.Monitoring.Paths;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>How <c>streammonitor serve</c> runs: the HTTP port, where durable state lives, and what registrations it accepts.</summary>
public sealed record ServerOptions
{
    public int Port { get; init; } = ServerDefaults.HttpPort;

    /// <summary>Orleans' silo-to-silo and client gateway ports (localhost).</summary>
    public int SiloPort { get; init; } = ServerDefaults.SiloPort;
    public int GatewayPort { get; init; } = ServerDefaults.GatewayPort;

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

    /// <summary>A silo of a Redis cluster in a Kubernetes pod (<c>--kubernetes</c>, <see cref="SiloSettings.Kubernetes"/>).</summary>
    public bool Kubernetes { get; init; }

    /// <summary>Names the cluster in Redis, so several deployments can share one Redis server.</summary>
    public string ClusterName { get; init; } = ServerDefaults.ClusterName;

    /// <summary>How soon a run whose silo died resumes on another silo.</summary>
    public TimeSpan ResumePeriod { get; init; } = ServerDefaults.ResumePeriod;

    /// <summary>Runs to register at start (from <c>--runs FILE</c>); already registered ones are left as they are.</summary>
    public IReadOnlyList<RunRegistration> Runs { get; init; } = [];

    /// <summary>Folders trajectories, stop files and model files must lie in; empty for the server's working directory.</summary>
    public IReadOnlyList<string> DataRoots { get; init; } = [];

    /// <summary>The command templates stops may run, by name.</summary>
    public IReadOnlyList<NamedCommand> StopCommands { get; init; } = [];

    /// <summary>The commands campaigns may launch shots with, by name (<c>--launch-command</c>, <c>--submit-command</c>).</summary>
    public IReadOnlyList<Monitoring.Campaigns.LaunchCommand> LaunchCommands { get; init; } = [];

    /// <summary>Where the cluster's metrics are written (<c>--influx</c>); null writes none.</summary>
    public Metrics.InfluxOptions? Influx { get; init; }

    /// <summary>Processes that may be signalled must also have a command line matching this; null: any of the server's user.</summary>
    public Regex? SignalAllow { get; init; }

    /// <summary>A run finishes once its file has not grown for this long, unless its registration says otherwise.</summary>
    public TimeSpan EndAfterIdle { get; init; } = ServerDefaults.EndAfterIdle;

    /// <summary>After a stop, a run ends once its file has not grown for this long, unless its registration says otherwise.</summary>
    public TimeSpan EndAfterStop { get; init; } = ServerDefaults.EndAfterStop;

    /// <summary>The registration policy these options make (an <see cref="ArgumentException"/> names what is wrong).</summary>
    public RunPolicy Policy() => new(
        // The server's own state and credentials are never a trajectory or a stop file, even under a data root.
        new StopPolicy(new PathRoots(DataRoots.Count > 0 ? DataRoots : [Directory.GetCurrentDirectory()],
                [DataDirectory, Security.AuthFilePath(DataDirectory)]), StopCommands,
            SignalAllow is null ? null : new ProcessGuard(SignalAllow)),
        EndAfterIdle, EndAfterStop);
    /// <summary>The least severe log messages written (the demo shows warnings only, beside its own output).</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>The webhooks alert rules may name (<c>--webhook</c>, <c>webhooks</c> in the config file).</summary>
    public IReadOnlyList<Monitoring.Alerts.WebhookTarget> Webhooks { get; init; } = [];

    /// <summary>The server's address as people reach it, for links in alerts (<c>--public-url</c>); null for http(s)://127.0.0.1:PORT.</summary>
    public string? PublicUrl { get; init; }

    public string PublicBaseUrl => PublicUrl ?? $"{Security.Scheme}://127.0.0.1:{Port}";

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
        Kubernetes = Kubernetes,
        ResumePeriod = ResumePeriod,
        Policy = Policy(),
        LaunchCommands = LaunchCommands,
    };

    public void Validate()
    {
        foreach (var (name, port) in new[] { ("--port", Port), ("--silo-port", SiloPort) })
            if (port is < 1 or > 65535) throw new ArgumentException($"{name} must be 1..65535, got {port}");
        if (GatewayPort is < 0 or > 65535) throw new ArgumentException($"--gateway-port must be 0 (none) or 1..65535, got {GatewayPort}");
        if (string.IsNullOrWhiteSpace(DataDirectory)) throw new ArgumentException("--data needs a folder");
        if (WatchDirectory is { } watched && !Directory.Exists(watched)) throw new ArgumentException($"--watch: {watched}: no such directory");
        if (string.IsNullOrWhiteSpace(WatchGlob)) throw new ArgumentException("--watch-glob needs a pattern");
        if (WatchInterval <= TimeSpan.Zero) throw new ArgumentException("the watch interval must be positive");
        if (PublicUrl is not null && !(Uri.TryCreate(PublicUrl, UriKind.Absolute, out var publicUrl) && publicUrl.Scheme is "http" or "https"))
            throw new ArgumentException($"--public-url: '{PublicUrl}' is not an http or https URL");
        WebhookTargets.Validate(Webhooks);
        Silo.Validate();
    }
}
