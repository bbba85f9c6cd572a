using StreamMonitor.Monitoring.Campaigns;
using StreamMonitor.Monitoring.Control;

namespace StreamMonitor.Grains.Campaigns;

/// <summary>
/// Hands each shot to a batch system with the launch command (e.g. <c>sbatch --parsable --chdir {dir} shoot.sh {seed}
/// {config}</c>) and adopts the shot's folder, where the job writes its trajectory. The job id is the first number the
/// command prints; the command's status template (<c>squeue -h -j {jobid}</c>) says whether the job is still queued or
/// running: exit 0 with output means yes, exit 0 with none means gone, anything else cannot tell.
/// </summary>
public sealed class SubmitShotLauncher : IShotLauncher
{
    public async Task<ShotRecord> LaunchAsync(LaunchCommand command, CampaignDefinition campaign, ShootingPoint point, ShotRecord shot, CancellationToken cancellationToken)
    {
        var result = await RunAsync(command, command.Template, ShotPlaceholders.For(campaign, point, shot), cancellationToken);
        if (!result.Succeeded)
            throw new ShotLaunchException($"{result.Line}: {result.StartError ?? (result.TimedOut ? "timed out" : $"exit code {result.ExitCode}")}{Tail(result.Output)}");
        if (LaunchCommand.DefaultJobId.Match(result.Stdout) is not { Success: true } match)
            throw new ShotLaunchException($"{result.Line} printed no job id{Tail(result.Output)}");
        return shot with { JobId = match.Groups[1].Value, LaunchedAt = DateTimeOffset.UtcNow };
    }

    /// <summary>A job is stopped by its run's stop file or the server's stop command (<c>scancel</c>), not from here.</summary>
    public Task<bool> TerminateAsync(ShotRecord shot) => Task.FromResult(false);

    public async Task<bool?> IsAliveAsync(LaunchCommand command, CampaignDefinition campaign, ShootingPoint point, ShotRecord shot, CancellationToken cancellationToken)
    {
        if (shot.JobId is not { } job) return false;
        if (command.Status is not { } status) return null;
        var result = await RunAsync(command, status, ShotPlaceholders.For(campaign, point, shot, job), cancellationToken);
        return result.Succeeded ? result.Stdout.Trim().Length > 0 : null;
    }

    private static async Task<CommandResult> RunAsync(LaunchCommand command, CommandTemplate template, IPlaceholderValues values, CancellationToken cancellationToken)
    {
        if (!template.TryExpand(values, out var arguments, out var error)) throw new ShotLaunchException($"launch command '{command.Name}': {error}");
        return await CommandRunner.RunAsync(arguments, command.Timeout, cancellationToken);
    }

    private static string Tail(string? output) => output is null ? "" : ": " + (output.Length > 300 ? output[..300] + "..." : output).Trim();
}
