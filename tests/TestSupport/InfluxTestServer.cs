using StreamMonitor.Core;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace StreamMonitor.TestSupport;

/// <summary>
/// A real <c>influxd</c> (InfluxDB 1.x) for the metrics tests, bound to 127.0.0.1 with its own config file and its
/// meta, data and WAL folders in a temporary folder. <see cref="SharedUrl"/> is the one <c>test.sh</c> started (its
/// address in <c>STREAMMONITOR_TEST_INFLUX</c>) or else one this process starts and stops at exit; a test that stops
/// and restarts the server (an outage) starts its own with <see cref="Start"/>. Tests keep apart by database name.
/// </summary>
public sealed class InfluxTestServer : IDisposable
{
    public const string Variable = "STREAMMONITOR_TEST_INFLUX";

    private static readonly Lazy<Uri> Shared = new(FindOrStart, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _folder;
    private readonly string _config;
    private Process? _process;
    private readonly Queue<string> _log = new();

    private InfluxTestServer()
    {
        _folder = Directory.CreateTempSubdirectory("streammonitor-influx-").FullName;
        int http = LoopbackPorts.Next(), rpc = LoopbackPorts.Next();
        Url = new Uri($"http://127.0.0.1:{http}");
        _config = Path.Combine(_folder, "influxdb.conf");
        File.WriteAllText(_config, Config(_folder, http, rpc));
    }

    public static Uri SharedUrl => Shared.Value;

    /// <summary>A database name no other test uses.</summary>
    public static string UniqueDatabase(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public Uri Url { get; }

    /// <summary>Starts a server of this test's own; <see cref="Dispose"/> stops it and deletes its data.</summary>
    public static InfluxTestServer Start()
    {
        var server = new InfluxTestServer();
        server.Resume();
        return server;
    }

    /// <summary>Stops the process (its data stays), as an outage.</summary>
    public void Stop()
    {
        if (_process is null) return;
        _process.Kill();
        _process.WaitForExit(10_000);
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the process again on the same port and data, and waits until it listens.</summary>
    public void Resume()
    {
        if (_process is not null) return;
        _process = ExternalProcess.Start("influxd", ["-config", _config]);
        // influxd logs to stderr: read it as it comes (a full pipe would stall the server), keeping the end for errors.
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        WaitListening(_process, Url, () => { lock (_log) return string.Join('\n', _log); });
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The config <c>test.sh</c> writes too, from the same template: loopback only, everything under <paramref name="folder"/>.</summary>
    public static string Config(string folder, int httpPort, int rpcPort) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "influxdb.conf.template"))
            .Replace("@DIR@", folder, StringComparison.Ordinal)
            .Replace("@HTTP_PORT@", httpPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@RPC_PORT@", rpcPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static Uri FindOrStart()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given) return new Uri(given);
        var server = Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server.Url;
    }

    private void Remember(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > 20) _log.Dequeue();
        }
    }

    private static void WaitListening(Process process, Uri url, Func<string> log)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"influxd exited with {process.ExitCode}: {log()}");
            try
            {
                using var client = new TcpClient();
                client.Connect(url.Host, url.Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException($"influxd did not listen on {url} within 30 s");
    }
}
