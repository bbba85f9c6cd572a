using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Bench;

/// <summary>
/// Runs on a silo in this process (a <see cref="LiveSilo"/>'s, or an in-process server's): registering them, hearing
/// every update they publish, and asking which failed.
/// </summary>
public sealed class LiveRuns(IServiceProvider services)
{
    private IGrainFactory Grains => services.GetRequiredService<IGrainFactory>();

    /// <summary>Registers a run on a LAMMPS dump; its pipeline starts following the file right away.</summary>
    /// <param name="endAfterIdle">The run finishes once its file has not grown for this long; null for the server's default.</param>
    public Task RegisterAsync(string runId, string trajectoryPath, TimeSpan? endAfterIdle = null) =>
        Grains.GetGrain<IRunGrain>(runId).Register(
            new RunConfig { TrajectoryPath = trajectoryPath, Format = "lammps", EndAfterIdle = endAfterIdle }, Actor.Server);

    /// <summary>
    /// Calls <paramref name="onUpdate"/> with every update published on the all-runs stream from now on, as the
    /// dashboard and the metrics sink receive them.
    /// </summary>
    public async Task SubscribeAllRunsAsync(Action<RunUpdate> onUpdate)
    {
        var client = services.GetRequiredService<IClusterClient>();
        await client.GetStreamProvider(RunStreams.Provider).GetStream<RunUpdate>(RunStreams.AllRuns)
            .SubscribeAsync((update, _) =>
            {
                onUpdate(update);
                return Task.CompletedTask;
            });
    }

    /// <summary>"run: error" for each of <paramref name="runIds"/> whose pipeline failed.</summary>
    public async Task<IReadOnlyList<string>> FailuresAsync(IEnumerable<string> runIds) =>
        [.. (await StatusesAsync(runIds)).Where(s => s.State == RunState.Failed).Select(s => $"{s.RunId}: {s.LastError}")];

    /// <summary>How many of <paramref name="runIds"/> each silo hosts, fewest first ("?" for a run not active anywhere).</summary>
    public async Task<IReadOnlyList<int>> RunsPerSiloAsync(IEnumerable<string> runIds) =>
        [.. (await StatusesAsync(runIds)).GroupBy(s => s.Silo ?? "?").Select(g => g.Count()).Order()];

    private Task<RunStatus[]> StatusesAsync(IEnumerable<string> runIds) =>
        Task.WhenAll(runIds.Select(id => Grains.GetGrain<IRunGrain>(id).GetStatus()));

    /// <summary>"; N failed, e.g. ..." for an error message, or "" when none failed.</summary>
    public static string Describe(IReadOnlyList<string> failed) =>
        failed.Count == 0 ? "" : $"; {failed.Count} failed, e.g. {string.Join("; ", failed.Take(3))}";

    /// <summary>
    /// Polls <paramref name="done"/> until it holds or <paramref name="timeout"/> passes; false on timeout. Polling keeps
    /// the waiting out of the measured path: cases stamp times where updates arrive, not where they are awaited.
    /// </summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> done, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > timeout) return false;
            await Task.Delay(20);
        }
        return true;
    }
}
