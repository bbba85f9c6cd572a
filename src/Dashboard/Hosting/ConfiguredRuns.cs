using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>
/// Registers the runs of the <c>--runs</c> file once the silo is up. A run the server already knows is left as it is,
/// whatever its state: a restart neither follows ended runs again nor brings back removed ones (register it again
/// through the API to do that).
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
                if (await registrar.RegisterNewAsync(run.Id, run.ToConfig(), Actor.Server) is null)
                    logger.LogInformation("run {RunId}: already known; left as it is", run.Id);
                else
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
