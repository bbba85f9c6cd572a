using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>
/// Registers the runs of the <c>--runs</c> file once the silo is up: a run already registered with the same configuration is
/// left as it is (or followed again, if it ended); one registered with another is reported and left alone.
/// </summary>
internal sealed class ConfiguredRuns(ServerOptions options, RunRegistrar registrar, IHostApplicationLifetime lifetime, ILogger<ConfiguredRuns> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Runs.Count == 0) return;
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        foreach (var run in options.Runs)
        {
            try
            {
                await registrar.RegisterAsync(run.Id, run.ToConfig(), Actor.Server);
                logger.LogInformation("run {RunId}: registered {Path}", run.Id, run.Trajectory);
            }
            catch (Exception e) when (RunRegistrar.IsRefusal(e))
            {
                logger.LogError("run {RunId}: not registered: {Reason}", run.Id, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The cluster failed the call (a timeout, storage down): the other runs still get their turn.
                logger.LogError(e, "run {RunId}: could not be registered; register it again through the API", run.Id);
            }
        }
    }
}
