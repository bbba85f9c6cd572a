using System.ComponentModel;
using System.Diagnostics;
using StreamMonitor.Monitoring.Campaigns;
using StreamMonitor.Monitoring.Control;

namespace StreamMonitor.Grains.Campaigns;

/// <summary>
/// Runs each shot's engine as a process of this machine, in the shot's folder, in a session of its own (<c>setsid</c>) so
/// that a Ctrl+C or restart of the server does not take the shots with it: a restarted server finds them by pid and start
/// time and carries on watching. What the engine prints goes to <c>engine.out</c> in the shot's folder while the server runs.
/// </summary>
public sealed class LocalShotLauncher : IShotLauncher
{
    public const string OutputFile = "engine.out";

    private static readonly string? Setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    public Task<ShotRecord> LaunchAsync(LaunchCommand command, CampaignDefinition campaign, ShootingPoint point, ShotRecord shot, CancellationToken cancellationToken)
    {
        if (!command.Template.TryExpand(ShotPlaceholders.For(campaign, point, shot), out var arguments, out var error))
            throw new ShotLaunchException($"launch command '{command.Name}': {error}");
        var program = Setsid ?? arguments[0];
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = shot.Directory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in Setsid is null ? arguments.Skip(1) : arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ShotLaunchException($"could not start {arguments[0]}");
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            throw new ShotLaunchException($"could not start {arguments[0]}: {e.Message}", e);
        }
        process.StandardInput.Close();
        _ = Task.Run(() => DrainAsync(process, Path.Combine(shot.Directory, OutputFile)), CancellationToken.None);
        // setsid execs the program in place (a child of the server is never a group leader), so the pid is the engine's.
        return Task.FromResult(shot with { Pid = process.Id, PidStartTime = ProcessIdentity.StartTimeOf(process.Id), LaunchedAt = DateTimeOffset.UtcNow });
    }

    public Task<bool?> IsAliveAsync(LaunchCommand command, CampaignDefinition campaign, ShootingPoint point, ShotRecord shot, CancellationToken cancellationToken) =>
        Task.FromResult<bool?>(shot is { Pid: { } pid, PidStartTime: { } started } && ProcessIdentity.IsRunning(pid, started));

    public async Task<bool> TerminateAsync(ShotRecord shot)
    {
        if (shot is not { Pid: { } pid, PidStartTime: { } started } || !ProcessIdentity.IsRunning(pid, started)) return false;
        var outcome = await new SignalStrategy(pid).StopAsync(new StopRequest { RunId = shot.RunId, Reason = "stop_grace", RequestedBy = "campaign" });
        return outcome.Success;
    }

    private static async Task DrainAsync(Process process, string path)
    {
        using (process)
        {
            try
            {
                await using var output = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                await Task.WhenAll(process.StandardOutput.BaseStream.CopyToAsync(output), process.StandardError.BaseStream.CopyToAsync(output));
                await process.WaitForExitAsync();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // The output is a courtesy; the shot's outcome comes from its trajectory.
            }
        }
    }
}
