using System.Net;
using System.Net.Sockets;

namespace StreamMonitor.TestSupport;

/// <summary>Loopback ports nobody is listening on, for servers and silos that tests start side by side.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
