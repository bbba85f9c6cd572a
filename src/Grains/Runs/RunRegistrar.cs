using Microsoft.Extensions.Logging;
using StreamMonitor.Contracts.Audit;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.Runs;

/// <summary>
/// The one way runs are registered, stopped and removed, whoever asks: the HTTP API, a <c>--runs</c> file, a watched
/// folder, a campaign grain. It checks the id, lets the run grain check and resolve the configuration against the
/// server's <see cref="RunPolicy"/>, and records every action, refused or not, in the audit log with who asked.
/// </summary>
public sealed class RunRegistrar(IGrainFactory grains, ILogger<RunRegistrar> logger)
{
    /// <summary>Registers (or re-follows) a run; an <see cref="ArgumentException"/>, <see cref="FormatException"/> or <see cref="RunConflictException"/> says why not.</summary>
    public Task<RunStatus> RegisterAsync(string id, RunConfig config, Actor by) =>
        AuditedAsync(by, AuditActions.Register, id, () => grains.GetGrain<IRunGrain>(RunIds.Validate(id)).Register(config, by),
            status => $"{status.Config?.TrajectoryPath} ({status.State.Name()})");

    /// <summary>
    /// Registers a run the server found itself (a <c>--runs</c> file at start, a watched folder) unless the registry
    /// already knows the id, whatever its state: a restart must not follow ended runs again or bring back removed ones.
    /// Null when it was known.
    /// </summary>
    public async Task<RunStatus?> RegisterNewAsync(string id, RunConfig config, Actor by) =>
        await grains.GetGrain<IRunRegistryGrain>(IRunRegistryGrain.Key).Get(RunIds.Validate(id)) is null
            ? await RegisterAsync(id, config, by)
            : null;

    /// <summary>Stops a registered run through its strategy; the returned event says whether the stop worked.</summary>
    public async Task<RunEvent> StopAsync(string id, Actor by)
    {
        await RequireAsync(id);
        return await AuditedAsync(by, AuditActions.Stop, id, () => grains.GetGrain<IRunGrain>(id).Stop(by), stop => stop.Message,
            stop => stop.Labels.GetValueOrDefault("outcome") != Monitoring.Control.StopOutcome.FailedLabel);
    }

    /// <summary>Takes a run off the server (and with <paramref name="purge"/> deletes its history).</summary>
    public async Task<RunStatus> RemoveAsync(string id, Actor by, bool purge)
    {
        await RequireAsync(id);
        return await AuditedAsync(by, purge ? AuditActions.Purge : AuditActions.Remove, id, () => grains.GetGrain<IRunGrain>(id).Remove(by, purge),
            status => status.Reason ?? "");
    }

    /// <summary>Whether <paramref name="e"/> is a refusal of what was asked (a 4xx), as opposed to a failure of the cluster.</summary>
    public static bool IsRefusal(Exception e) =>
        e is ArgumentException or FormatException or InvalidOperationException or FileNotFoundException or RunConflictException or KeyNotFoundException;

    private async Task RequireAsync(string id)
    {
        if (!RunIds.IsValid(id) || await grains.GetGrain<IRunRegistryGrain>(IRunRegistryGrain.Key).Get(id) is null)
            throw new KeyNotFoundException($"no run '{id}'");
    }

    private async Task<T> AuditedAsync<T>(Actor by, string action, string target, Func<Task<T>> act, Func<T, string> detail, Func<T, bool>? succeeded = null)
    {
        T result;
        try
        {
            result = await act();
        }
        catch (Exception e)
        {
            // A refusal, or a failure on the way (a timeout while a stop command ran): either way someone asked, and the
            // log says so; whether a failed stop still happened is in the run's own events.
            var why = IsRefusal(e) ? e.Message : $"failed: {e.GetType().Name}: {e.Message}";
            await RecordAsync(new AuditEntry { By = by.Name, From = by.Address, Action = action, Target = target, Detail = why, Succeeded = false });
            throw;
        }
        await RecordAsync(new AuditEntry
        {
            By = by.Name, From = by.Address, Action = action, Target = target, Detail = detail(result), Succeeded = succeeded?.Invoke(result) ?? true,
        });
        return result;
    }

    private async Task RecordAsync(AuditEntry entry)
    {
        try
        {
            await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.Key).Record(entry);
        }
        catch (Exception e)
        {
            // The action itself is done (and is in the run's own events); a lost audit line must not undo or block it.
            logger.LogError(e, "audit: could not record {Action} of {Target} by {By}", entry.Action, entry.Target, entry.By);
        }
    }
}
