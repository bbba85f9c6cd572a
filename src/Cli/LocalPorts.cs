using System.Net;
using System.Net.Sockets;

namespace StreamMonitor.Cli;

/// <summary>Ports on 127.0.0.1 for the embedded servers of <c>demo</c> and <c>campaign run</c>.</summary>
internal static class LocalPorts
{
    public static bool IsFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A port the system says is free now.</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
