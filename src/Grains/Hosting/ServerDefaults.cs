namespace StreamMonitor.Grains.Hosting;

/// <summary>The defaults of a StreamMonitor server, in one place: the CLI's help, the server options and the silo settings read them from here.</summary>
public static class ServerDefaults
{
    /// <summary>The HTTP API's port (on 127.0.0.1 unless told otherwise).</summary>
    public const int HttpPort = 5080;

    /// <summary>Orleans' silo-to-silo port.</summary>
    public const int SiloPort = 11111;

    /// <summary>
    /// Orleans' client gateway port: 0, none. The server's own API and grains need no gateway, and Orleans does not
    /// authenticate its clients, so an open gateway would let anyone who reaches it call the grains directly, around
    /// the API's roles and audit.
    /// </summary>
    public const int GatewayPort = 0;

    /// <summary>Names the cluster (and the service) in Redis, so several deployments can share one Redis server.</summary>
    public const string ClusterName = "streammonitor";

    /// <summary>How often a live run's reminder fires: how soon a run whose silo died resumes on another.</summary>
    public static readonly TimeSpan ResumePeriod = TimeSpan.FromMinutes(1);

    /// <summary>A run finishes once its file has not grown for this long (<c>serve --end-after-idle</c>, or per run).</summary>
    public static readonly TimeSpan EndAfterIdle = TimeSpan.FromMinutes(10);

    /// <summary>
    /// After a stop, the run ends once its file has not grown for this long: LAMMPS' <c>fix halt</c> and mdrun's signal
    /// handler end within a few frames, so half a minute of quiet means the engine is done.
    /// </summary>
    public static readonly TimeSpan EndAfterStop = TimeSpan.FromSeconds(30);
}
