using System.Net;
using System.Net.Sockets;

namespace StreamMonitor.Core;

/// <summary>Ports on 127.0.0.1 that nobody is listening on, for embedded servers, silos and the test servers beside them.</summary>
/// <remarks>
/// Ports come from below the kernel's ephemeral range (32768 and up on Linux), walked from a start that depends on the
/// process id, so processes started side by side try different ports first. A port the kernel hands out for bind(0)
/// is an ephemeral one: between taking it and the server binding it, any outgoing connection of the machine (HTTP
/// clients, Redis, a silo's own) could be given the same port as its source, and the server then fails with "address
/// already in use".
/// </remarks>
public static class LoopbackPorts
{
    private const int First = 15000;
    private const int Count = 17000; // up to 31999

    private static int _next = (int)((uint)Environment.ProcessId * 2654435761u % Count);

    /// <summary>A port no one listens on now.</summary>
    public static int Next()
    {
        for (int tried = 0; tried < Count; tried++)
        {
            int port = First + (int)((uint)Interlocked.Increment(ref _next) % Count);
            if (IsFree(port)) return port;
        }
        throw new InvalidOperationException($"no free loopback port in {First}-{First + Count - 1}");
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
