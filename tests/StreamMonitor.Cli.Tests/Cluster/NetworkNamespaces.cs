using System.Diagnostics;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Cluster;

/// <summary>
/// Hosts of a test cluster as Linux network namespaces on one bridge, with addresses from 198.51.100.0/24 (reserved
/// for documentation) and no route out: each host reaches the others only, and the test process reaches them all
/// through a link of its own (198.51.100.254). Every name starts with a prefix unique to this instance; disposing
/// removes all of it. Needs root.
/// </summary>
internal sealed class NetworkNamespaces : IDisposable
{
    public const string Subnet = "198.51.100";

    private readonly string _prefix = $"sm{Guid.NewGuid():N}"[..8];
    private readonly List<string> _namespaces = [];
    private readonly Dictionary<string, string> _bridgeSides = [];
    private bool _rootLinked;

    public NetworkNamespaces()
    {
        try
        {
            Hub = AddNamespace("hub");
            Ip(Hub, "link", "add", "br0", "type", "bridge");
            Ip(Hub, "link", "set", "br0", "up");
            // The test's own link: its root side keeps the bridge's subnet reachable from the test process.
            string root = $"{_prefix}r";
            Ip(null, "link", "add", root, "type", "veth", "peer", "name", $"{_prefix}rb");
            _rootLinked = true;
            Attach($"{_prefix}rb");
            Ip(null, "addr", "add", $"{Subnet}.254/24", "dev", root);
            Ip(null, "link", "set", root, "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Why the test cannot build namespaces here (not root, or no <c>ip</c>), or null when it can.</summary>
    public static string? Unavailable()
    {
        if (ExternalProcess.Run("id", ["-u"], check: false).StandardOutput.Trim() != "0") return "network namespaces need root";
        var ip = ExternalProcess.Run("ip", ["netns", "list"], check: false);
        return ip.ExitCode == 0 ? null : $"'ip netns' is unavailable: {ip.StandardError.Trim()}";
    }

    /// <summary>The namespace that holds the bridge.</summary>
    public string Hub { get; }

    /// <summary>
    /// A new host at <c>198.51.100.<paramref name="octet"/></c> plugged into the bridge; returns its namespace name, for
    /// <see cref="Exec"/> and <see cref="Cut"/>.
    /// </summary>
    public string AddHost(int octet)
    {
        string host = AddNamespace($"h{octet}");
        string inside = $"{_prefix}{octet}h", bridgeSide = $"{_prefix}{octet}b";
        Ip(null, "link", "add", inside, "type", "veth", "peer", "name", bridgeSide);
        Ip(null, "link", "set", inside, "netns", host);
        Ip(host, "link", "set", inside, "name", "eth0");
        Ip(host, "addr", "add", $"{Subnet}.{octet}/24", "dev", "eth0");
        Ip(host, "link", "set", "eth0", "up");
        Attach(bridgeSide);
        _bridgeSides[host] = bridgeSide;
        return host;
    }

    /// <summary>The command prefix that runs a program inside <paramref name="host"/>.</summary>
    public static string[] Exec(string host) => ["ip", "netns", "exec", host];

    /// <summary>Takes the host's link to the bridge down: the host keeps running but reaches nobody, and nobody reaches it.</summary>
    public void Cut(string host) => Ip(Hub, "link", "set", _bridgeSides[host], "down");

    public void Dispose()
    {
        // Deleting a namespace removes the veth ends in it and their peers; processes still in one would keep it alive.
        foreach (var ns in _namespaces)
        {
            var pids = ExternalProcess.Run("ip", ["netns", "pids", ns], check: false).StandardOutput
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var pid in pids)
                try
                {
                    using var process = Process.GetProcessById(int.Parse(pid));
                    process.Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                }
        }
        if (_rootLinked) ExternalProcess.Run("ip", ["link", "del", $"{_prefix}r"], check: false);
        foreach (var ns in _namespaces) ExternalProcess.Run("ip", ["netns", "del", ns], check: false);
    }

    private string AddNamespace(string suffix)
    {
        string name = $"{_prefix}-{suffix}";
        ExternalProcess.Run("ip", ["netns", "add", name]);
        _namespaces.Add(name);
        Ip(name, "link", "set", "lo", "up");
        return name;
    }

    private void Attach(string bridgeSide)
    {
        Ip(null, "link", "set", bridgeSide, "netns", Hub);
        Ip(Hub, "link", "set", bridgeSide, "master", "br0");
        Ip(Hub, "link", "set", bridgeSide, "up");
    }

    private static void Ip(string? ns, params string[] arguments) =>
        ExternalProcess.Run("ip", ns is null ? arguments : ["-n", ns, .. arguments]);
}
