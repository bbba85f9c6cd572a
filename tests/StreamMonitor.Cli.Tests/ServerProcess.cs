using StreamMonitor.Core;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>A real <c>streammonitor serve</c> process on free ports, with its output kept for failure messages.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly StringBuilder _log = new();
    private readonly HttpClient _http;

    private ServerProcess(Process process, string scheme, string host, int port, int siloPort, HttpClient http)
    {
        Process = process;
        SiloPort = siloPort;
        Root = $"{scheme}://{host}:{port}";
        Api = Root + "/api/runs";
        _http = http;
    }

    /// <summary>
    /// Orleans' membership settings (environment variables) for a test cluster: a dead silo is declared dead within a
    /// few seconds instead of Orleans' production timeouts.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FastFailureDetection { get; } = new Dictionary<string, string>
    {
        ["Orleans__Membership__ProbeTimeout"] = "00:00:01",
        ["Orleans__Membership__NumMissedProbesLimit"] = "2",
        ["Orleans__Membership__NumVotesForDeathDeclaration"] = "1",
    };

    public Process Process { get; }

    public int SiloPort { get; }

    /// <summary>The server, <c>http://127.0.0.1:PORT</c> (https with <c>--https-cert</c>; the --listen address when it is one host's).</summary>
    public string Root { get; }

    /// <summary>The runs API, <c>http://127.0.0.1:PORT/api/runs</c>.</summary>
    public string Api { get; }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>
    /// Starts <c>serve</c> and waits until its API answers <paramref name="http"/> (which carries credentials when the
    /// server needs them). <paramref name="auth"/> is its <c>--auth</c> file; <paramref name="listen"/> an address to
    /// listen on instead of 127.0.0.1 (a wildcard address is still called at 127.0.0.1); <paramref name="scheme"/> https
    /// when <paramref name="extra"/> gives a certificate; <paramref name="launcher"/> a command that runs the server's
    /// command line, e.g. <c>ip netns exec NS</c>.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(HttpClient http, string data, int? port = null, IReadOnlyDictionary<string, string>? environment = null,
        string? auth = null, string? listen = null, string scheme = "http", IReadOnlyList<string>? launcher = null, params string[] extra)
    {
        // A free port can be taken by another test between LoopbackPorts handing it out and serve binding it: try others.
        for (int attempt = 1; ; attempt++)
        {
            var server = await TryStartAsync(http, data, port, environment, auth, listen, scheme, launcher, extra);
            if (server.Process.HasExited && attempt < 3 && server.Log.Contains("Address already in use", StringComparison.Ordinal))
            {
                server.Dispose();
                continue;
            }
            if (server.Process.HasExited) throw new InvalidOperationException($"serve exited with {server.Process.ExitCode}: {server.Log}");
            return server;
        }
    }

    /// <summary>One try of <see cref="StartAsync"/>: the server once it answers, or once it has exited.</summary>
    private static async Task<ServerProcess> TryStartAsync(HttpClient http, string data, int? port, IReadOnlyDictionary<string, string>? environment,
        string? auth, string? listen, string scheme, IReadOnlyList<string>? launcher, string[] extra)
    {
        int httpPort = port ?? LoopbackPorts.Next();
        int siloPort = LoopbackPorts.Next();
        // The test's own folder (the one that holds its data folder) is where its trajectories and stop files live.
        string root = Path.GetDirectoryName(Path.GetFullPath(data))!;
        string[] address = listen is null ? ["--port", httpPort.ToString()] : ["--listen", $"{listen}:{httpPort}"];
        string[] credentials = auth is null ? [] : ["--auth", auth];
        string[] arguments = ["serve", .. address, "--data", data, "--data-root", root,
            "--silo-port", siloPort.ToString(), .. credentials, .. extra];
        environment ??= new Dictionary<string, string>();
        var process = launcher is null
            ? StreamMonitorCli.Start(environment, arguments)
            : ExternalProcess.Start(launcher[0], [.. launcher.Skip(1), "dotnet", StreamMonitorCli.Assembly, .. arguments], environment: environment);
        string host = listen is null or "0.0.0.0" or "::" ? "127.0.0.1" : listen;
        var server = new ServerProcess(process, scheme, host, httpPort, siloPort, http);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                process.WaitForExit(); // the rest of its output
                return server;
            }
            try
            {
                if ((await http.GetAsync(server.Api)).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        server.Dispose();
        throw new TimeoutException($"serve did not answer on {server.Api}: {server.Log}");
    }

    /// <summary>
    /// The arguments that make a <c>serve</c> one silo of <paramref name="cluster"/> in the test Redis, whose reminders
    /// resume a run of a dead silo within 2 s.
    /// </summary>
    public static string[] ClusterArguments(string cluster) => ["--redis", RedisTestServer.Endpoint, "--cluster", cluster, "--resume-period", "2"];

    /// <summary>Whether this server's silo is the one a run's <c>status.silo</c> names.</summary>
    public bool Hosts(JsonNode status) => status["silo"]!.GetValue<string>().Contains($":{SiloPort}:", StringComparison.Ordinal);

    /// <summary>Waits until the server's output holds <paramref name="text"/> (console logging lags a little behind the server).</summary>
    public async Task<string> WaitForLogAsync(string text, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(10));
        while (!Log.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"serve never wrote '{text}': {Log}");
            await Task.Delay(100);
        }
        return Log;
    }

    /// <summary>SIGTERM, as a service manager stops it; it must exit 0.</summary>
    public async Task StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", Process.Id.ToString()])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Process.WaitForExitAsync(timeout.Token);
        Assert.True(Process.ExitCode == 0, $"serve exited with {Process.ExitCode}: {Log}");
    }

    /// <summary>Polls <paramref name="url"/> (relative to <see cref="Api"/> when it starts with '/') until <paramref name="done"/> holds.</summary>
    public async Task<JsonNode> WaitForAsync(string url, Func<JsonNode, bool> done, TimeSpan? patience = null)
    {
        if (url.StartsWith('/')) url = Api + url;
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(60));
        JsonNode last = new JsonObject();
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var response = await _http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    last = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    if (done(last)) return last;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{url} never reached the expected state: {last.ToJsonString()}\n{Log}");
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_log) _log.AppendLine(line);
    }
}
