using System.Diagnostics;

namespace StreamMonitor.Bench;

/// <summary>
/// Dashboard clients (<see cref="HubListener"/>s) in a process of their own at the lowest CPU priority (<c>nice -n 19</c>),
/// for measuring what serving them costs the server's analysis: on the same two cores, in-process clients would charge
/// their own receiving and JSON parsing to the server, which browsers on other machines do not. The child
/// (<c>StreamMonitor.Bench --hub-clients URL N FOLLOWED RUN,RUN,...</c>) connects, says <c>ready</c>, and on a line on its
/// standard input disconnects and prints <c>received=N</c> (the summaries its clients got).
/// </summary>
public sealed class HubClientsProcess : IAsyncDisposable
{
    private readonly Process _process;

    private HubClientsProcess(Process process) => _process = process;

    /// <summary>Starts <paramref name="clients"/> clients, following runs as <see cref="HubListener.ConnectManyAsync"/> assigns them.</summary>
    public static async Task<HubClientsProcess> StartAsync(string hubUrl, int clients, int followed, IReadOnlyList<string> runs)
    {
        var (file, prefix) = BenchContext.Self();
        var start = new ProcessStartInfo("nice") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false };
        foreach (var arg in (string[])["-n", "19", file, .. prefix, "--hub-clients", hubUrl, clients.ToString(), followed.ToString(), string.Join(',', runs)])
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new BenchException("could not start the clients' process");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (line != "ready")
        {
            process.Kill();
            throw new BenchException($"the clients' process did not connect: {line ?? "(no output)"}");
        }
        return new HubClientsProcess(process);
    }

    /// <summary>Disconnects the clients; returns the summaries they received.</summary>
    public async Task<long> StopAsync()
    {
        await _process.StandardInput.WriteLineAsync("stop");
        await _process.StandardInput.FlushAsync();
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync();
        return line is not null && line.StartsWith("received=", StringComparison.Ordinal) ? long.Parse(line["received=".Length..])
            : throw new BenchException($"the clients' process ended with '{line}'");
    }

    /// <summary>The child side.</summary>
    public static int Run(string hubUrl, int clients, int followed, string runList)
    {
        var listeners = HubListener.ConnectManyAsync(hubUrl, clients, followed, runList.Split(',')).GetAwaiter().GetResult();
        Console.WriteLine("ready");
        Console.In.ReadLine();
        long received = listeners.Sum(l => (long)l.SummaryCount);
        Task.WhenAll(listeners.Select(l => l.DisposeAsync().AsTask())).GetAwaiter().GetResult();
        Console.WriteLine($"received={received}");
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
