using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Monitoring.Control;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>
/// Registers every file that appears under a directory and matches a glob (e.g. a shooting campaign's
/// <c>shots/*/dump.lammpstrj</c>) as a run. The run id is the path relative to the directory with <c>/</c> written as
/// <c>:</c> (URL-safe), and its stop strategy is a <c>STOP</c> file beside the trajectory (the LAMMPS <c>fix halt</c>
/// pattern). The directory is scanned every <see cref="ServerOptions.WatchInterval"/>: polling works on network file
/// systems where inotify does not, and registering is idempotent, so a rescan after a restart changes nothing.
/// </summary>
internal sealed class DirectoryWatcher(ServerOptions options, RunRegistrar registrar, IHostApplicationLifetime lifetime, ILogger<DirectoryWatcher> logger)
    : BackgroundService
{
    private readonly HashSet<string> _registered = new(StringComparer.Ordinal);

    public static string RunIdOf(string relativePath) => relativePath.Replace(Path.DirectorySeparatorChar, ':').Replace('/', ':');

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.WatchDirectory is not { } directory) return;
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        var matcher = new Matcher(StringComparison.Ordinal).AddInclude(options.WatchGlob);
        using var timer = new PeriodicTimer(options.WatchInterval);
        do
        {
            if (!Directory.Exists(directory)) continue;
            foreach (var path in matcher.GetResultsInFullPath(directory))
            {
                var id = RunIdOf(Path.GetRelativePath(directory, path));
                if (_registered.Contains(id)) continue;
                if (!RunIds.IsValid(id))
                {
                    _registered.Add(id); // reported once, not every scan
                    logger.LogWarning("{Path} not registered: its run id '{RunId}' would not be valid ({Rule})", path, id, RunIds.Rule);
                    continue;
                }
                try
                {
                    await registrar.RegisterNewAsync(id, new RunConfig { TrajectoryPath = path, Stop = StopSpec.ForFile("STOP") }, Actor.Server);
                    _registered.Add(id);
                    logger.LogInformation("run {RunId}: registered {Path}", id, path);
                }
                catch (Exception e) when (RunRegistrar.IsRefusal(e))
                {
                    _registered.Add(id); // a bad file is reported once, not every scan
                    logger.LogWarning("run {RunId}: {Path} not registered: {Reason}", id, path, e.Message);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "run {RunId}: {Path} could not be registered; trying again at the next scan", id, path);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
