using StreamMonitor.Core;
using System.Diagnostics;
using System.Net.Sockets;

namespace StreamMonitor.TestSupport;

/// <summary>
/// The real <c>redis-server</c> the Redis tests use: the one <c>test.sh</c> started (its address in
/// <c>STREAMMONITOR_TEST_REDIS</c>), or else one this process starts on a free 127.0.0.1 port with append-only
/// persistence in a temporary folder and stops at exit. Tests keep apart by using their own cluster/service names.
/// </summary>
public static class RedisTestServer
{
    public const string Variable = "STREAMMONITOR_TEST_REDIS";

    private static readonly Lazy<string> Shared = new(StartOrFind, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary><c>127.0.0.1:PORT</c> of a running server.</summary>
    public static string Endpoint => Shared.Value;

    /// <summary>A name no other test uses, for keys, service ids and cluster ids.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static string StartOrFind()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given) return given;
        int port = LoopbackPorts.Next();
        var folder = Directory.CreateTempSubdirectory("streammonitor-redis-").FullName;
        var process = ExternalProcess.Start("redis-server",
        [
            "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--dir", folder, "--appendonly", "yes", "--save", "", "--protected-mode", "yes", "--logfile", Path.Combine(folder, "redis.log"),
        ]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                process.Kill();
                process.WaitForExit(5000);
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
            }
        };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode}: {process.StandardError.ReadToEnd()}");
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
                return $"127.0.0.1:{port}";
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException($"redis-server did not listen on 127.0.0.1:{port} within 20 s");
    }
}
