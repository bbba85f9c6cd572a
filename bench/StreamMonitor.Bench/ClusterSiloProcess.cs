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

    private readonly ChildSession _child;

    private ClusterSiloProcess(ChildSession child) => _child = child;

    /// <param name="cores">The cores it runs on, as <c>taskset -c</c> takes them ("2-3").</param>
    public static async Task<ClusterSiloProcess> StartAsync(string directory, string redis, string cluster, string warmUpDump, string cores) =>
        new(await ChildSession.StartAsync($"the silo process on cores {cores}", ["taskset", "-c", cores],
            ["--cluster-silo", redis, cluster, directory, warmUpDump], StartTimeout));

    /// <summary>Its resident memory after full collections in it.</summary>
    public async Task<long> SettledWorkingSetAsync() => long.Parse(await _child.AskAsync("memory", "working_set"), CultureInfo.InvariantCulture);

    /// <summary>Returns once the silo knows of <paramref name="count"/> silos (see <see cref="LiveSilo.WaitForSilosAsync"/>).</summary>
    public Task WaitForSilosAsync(int count) => _child.AskAsync($"silos {count}", "silos");

    public double CpuSeconds() => _child.CpuSeconds();

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
    public ValueTask DisposeAsync() => _child.DisposeAsync();
}
