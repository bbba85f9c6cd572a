using System.Diagnostics;
using System.Globalization;

namespace StreamMonitor.Bench;

/// <summary>
/// One silo of a Redis cluster in a process of its own, pinned to its own cores (<c>taskset -c</c>), as a deployment
/// runs one silo per machine or container. The child (<c>StreamMonitor.Bench --cluster-silo REDIS CLUSTER DIR WARMUP</c>)
/// compiles the live pipeline on the <c>WARMUP</c> dump as the single-silo cases do in their own process, joins the
/// cluster, and says <c>ready</c>; then it answers <c>silos N</c> on its standard input with <c>silos=N</c> once it
/// knows of N silos, <c>memory</c> with <c>working_set=BYTES</c> after full collections, and stops its silo when the
/// input ends.
/// </summary>
public sealed class ClusterSiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(45);

    private readonly Process _process;

    private ClusterSiloProcess(Process process, string cores)
    {
        _process = process;
        Cores = cores;
    }

    /// <summary>The cores it runs on, as <c>taskset -c</c> takes them ("2-3").</summary>
    public string Cores { get; }

    public static async Task<ClusterSiloProcess> StartAsync(string directory, string redis, string cluster, string warmUpDump, string cores)
    {
        var (file, prefix) = BenchContext.Self();
        var start = new ProcessStartInfo("taskset") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false };
        foreach (var arg in (string[])["-c", cores, file, .. prefix, "--cluster-silo", redis, cluster, directory, warmUpDump])
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new BenchException("could not start a silo process");
        var silo = new ClusterSiloProcess(process, cores);
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync().WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            line = $"(nothing within {StartTimeout.TotalMinutes:0} min)";
        }
        if (line == "ready") return silo;
        await silo.DisposeAsync();
        throw new BenchException($"the silo process on cores {cores} did not start: {line ?? "(it exited; its messages are above)"}");
    }

    /// <summary>Its resident memory after full collections in it.</summary>
    public async Task<long> SettledWorkingSetAsync() => long.Parse(await AskAsync("memory", "working_set"), CultureInfo.InvariantCulture);

    /// <summary>Returns once the silo knows of <paramref name="count"/> silos (see <see cref="LiveSilo.WaitForSilosAsync"/>).</summary>
    public Task WaitForSilosAsync(int count) => AskAsync($"silos {count}", "silos");

    // Sends a command and returns the value of the "key=value" line it answers with.
    private async Task<string> AskAsync(string command, string key)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return line is not null && line.StartsWith(key + "=", StringComparison.Ordinal)
            ? line[(key.Length + 1)..]
            : throw new BenchException($"the silo process on cores {Cores} answered '{line}' to '{command}'");
    }

    public double CpuSeconds()
    {
        _process.Refresh();
        return _process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>The child side.</summary>
    public static int Run(string redis, string cluster, string directory, string warmUpDump)
    {
        LiveWarmUp.SummarizeTwice(warmUpDump, "cluster silo");
        var silo = LiveSilo.StartAsync(directory, redis, cluster).GetAwaiter().GetResult();
        Console.WriteLine("ready");
        while (Console.In.ReadLine() is { } command)
        {
            if (command == "memory")
                Console.WriteLine(FormattableString.Invariant($"working_set={ProcessMemory.Settled().WorkingSetBytes}"));
            else if (command.StartsWith("silos ", StringComparison.Ordinal) && int.TryParse(command[6..], out int count))
            {
                silo.WaitForSilosAsync(count, TimeSpan.FromMinutes(1)).GetAwaiter().GetResult();
                Console.WriteLine($"silos={count}");
            }
        }
        silo.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }

    /// <summary>Stops the silo (its input closed) and waits for the process; kills it if it does not end in time.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(StopTimeout);
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
