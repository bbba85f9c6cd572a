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

    public void Validate()
    {
        foreach (var (name, port) in new[] { ("--port", Port), ("--silo-port", SiloPort), ("--gateway-port", GatewayPort) })
            if (port is < 1 or > 65535) throw new ArgumentException($"{name} must be 1..65535, got {port}");
        if (string.IsNullOrWhiteSpace(DataDirectory)) throw new ArgumentException("--data needs a folder");
        if (WatchDirectory is { } watched && !Directory.Exists(watched)) throw new ArgumentException($"--watch: {watched}: no such directory");
        if (string.IsNullOrWhiteSpace(WatchGlob)) throw new ArgumentException("--watch-glob needs a pattern");
        if (WatchInterval <= TimeSpan.Zero) throw new ArgumentException("the watch interval must be positive");
    }
}
