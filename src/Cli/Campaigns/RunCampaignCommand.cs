using StreamMonitor.Core;
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamMonitor.Cli.Models;
using StreamMonitor.Contracts.Campaigns;
using StreamMonitor.Dashboard.Hosting;
using StreamMonitor.Grains.Hosting;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Cli.Campaigns;

/// <summary>
/// <c>streammonitor campaign run CAMPAIGN.json</c>: runs a campaign on an embedded server whose state lives in the
/// campaign's folder, with the dashboard on 127.0.0.1, and reports shots as they conclude. Interrupted (Ctrl+C), the
/// shots keep running; the same command again carries on where the campaign was.
/// </summary>
internal static class RunCampaignCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("CAMPAIGN") { Description = "The campaign file (JSON; see README: Shooting campaigns)." };
        var port = new Option<int>("--port") { Description = "The dashboard's HTTP port on 127.0.0.1 (another free one when it is taken; 0: any free one).", DefaultValueFactory = _ => ServerDefaults.HttpPort };
        var launch = new Option<string[]>("--launch-command") { Description = "A launch command the campaign may name, as NAME=TEMPLATE (repeatable)." };
        var submit = new Option<string[]>("--submit-command") { Description = "A submit command the campaign may name, as NAME=TEMPLATE printing the job id (repeatable)." };
        var status = new Option<string[]>("--job-status") { Description = "For a --submit-command NAME: the command telling whether job {jobid} is still there, as NAME=TEMPLATE." };
        var command = new Command("run", "Run a shooting campaign: launch its shots, stop each as soon as it commits to a basin, record the outcomes.")
        {
            file, port, launch, submit, status,
        };
        command.SetAction((result, ct) => CliErrors.RunAsync(() => RunAsync(result.GetValue(file)!, result.GetValue(port),
            LaunchCommandOptions.Read(result.GetValue(launch) ?? [], result.GetValue(submit) ?? [], result.GetValue(status) ?? []), ct)));
        return command;
    }

    private static async Task<int> RunAsync(string path, int port, IReadOnlyList<LaunchCommand> launches, CancellationToken ct)
    {
        if (port is < 0 or > 65535) throw new ArgumentException($"--port must be 0 (any free one) or 1..65535, got {port}");
        var (definition, inline) = CampaignFile.Load(path);
        Directory.CreateDirectory(definition.Directory);
        var data = Path.Combine(definition.Directory, "server");
        var server = new ServerOptions
        {
            Port = port > 0 && LoopbackPorts.IsFree(port) ? port : LoopbackPorts.Next(),
            SiloPort = LoopbackPorts.Next(),
            DataDirectory = data,
            DataRoots = Roots(path, definition),
            LaunchCommands = inline is null ? launches : [.. launches, inline],
            LogLevel = LogLevel.Warning,
        };
        await using var app = ServerHost.Create(server);
        await app.StartAsync(ct);
        try
        {
            var grains = app.Services.GetRequiredService<IGrainFactory>();
            var campaign = grains.GetGrain<ICampaignGrain>(definition.Id);
            var started = await campaign.Start(definition, new Actor("local"));
            Console.WriteLine($"campaign {definition.Id}: {definition.Points.Count} points x {definition.ShotsPerPoint} shots, {definition.Concurrent} at once, in {definition.Directory}");
            Console.WriteLine($"dashboard: {server.Security.Url(server.Port)}/campaigns/{Uri.EscapeDataString(definition.Id)}");
            var final = await FollowAsync(campaign, started, ct);
            Console.WriteLine($"campaign {definition.Id}: {final.Phase.ToString().ToLowerInvariant()}; {CampaignText.Progress(final.Counts)}");
            Console.WriteLine(CampaignText.Steps(final.Counts));
            Console.WriteLine($"analyse it with: streammonitor campaign analyse {definition.Directory}");
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"streammonitor: stopped watching; running shots carry on. Run the same command again to resume campaign {definition.Id}.");
            return 0;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Prints each shot as it concludes, with a progress bar on a terminal, until the campaign is no longer running.</summary>
    private static async Task<CampaignStatus> FollowAsync(ICampaignGrain campaign, CampaignStatus status, CancellationToken ct)
    {
        var progress = new ConsoleProgress($"campaign {status.Id}");
        var shown = new HashSet<(string, ShotOutcome, bool)>();
        Show(status, shown, progress, announce: false);
        while (status.Phase == CampaignPhase.Running)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            status = await campaign.GetStatus() ?? status;
            Show(status, shown, progress, announce: true);
        }
        progress.Done();
        return status;
    }

    private static void Show(CampaignStatus status, HashSet<(string, ShotOutcome, bool)> shown, ConsoleProgress progress, bool announce)
    {
        foreach (var shot in status.Shots.Where(s => s.IsConcluded))
            if (shown.Add((shot.RunId, shot.Outcome, shot.StepsRun is not null)) && announce && (shot.StepsRun is not null || !shot.IsDecided))
            {
                progress.Done();
                Console.WriteLine(CampaignText.Shot(shot));
            }
        progress.Report(CampaignText.Progress(status.Counts), CampaignText.Fraction(status.Counts));
    }

    /// <summary>The folders the embedded server may read and write: the campaign file's, the campaign's, and those of its configurations and model.</summary>
    private static IReadOnlyList<string> Roots(string path, CampaignDefinition definition)
    {
        var roots = new List<string> { Path.GetDirectoryName(Path.GetFullPath(path))!, definition.Directory };
        roots.AddRange(definition.Points.Select(p => Path.GetDirectoryName(p.Config)!));
        if (File.Exists(definition.Model)) roots.Add(Path.GetDirectoryName(Path.GetFullPath(definition.Model))!);
        return roots.Distinct(StringComparer.Ordinal).ToArray();
    }
}
