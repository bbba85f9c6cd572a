using System.CommandLine;
using System.Text.Json;
using StreamMonitor.Cli.Models;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Cli.Campaigns;

/// <summary>
/// <c>streammonitor campaign status DIR</c>: where a campaign stands, from its record in its folder: a progress bar that
/// follows it while it runs (on a terminal), or the record once (<c>--json</c>, or when it has ended).
/// </summary>
internal static class CampaignStatusCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "The campaign's folder (its \"directory\"), or its campaign.json." };
        var json = new Option<bool>("--json") { Description = "Print the campaign's record (definition and every shot) as JSON, once." };
        var once = new Option<bool>("--once") { Description = "Print where it stands once, even while it runs." };
        var command = new Command("status", "Show a campaign's progress and shots.") { dir, json, once };
        command.SetAction((result, ct) => CliErrors.RunAsync(() => RunAsync(result.GetValue(dir)!, result.GetValue(json), result.GetValue(once), ct)));
        return command;
    }

    private static async Task<int> RunAsync(string dir, bool json, bool once, CancellationToken ct)
    {
        var status = CampaignRecordFile.Read(dir);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(status, ContractJson.Options));
            return 0;
        }
        foreach (var shot in status.Shots.Where(s => s.IsConcluded)) Console.WriteLine(CampaignText.Shot(shot));
        if (status.Phase == CampaignPhase.Running && !once && !Console.IsErrorRedirected)
        {
            var progress = new ConsoleProgress($"campaign {status.Id}");
            var shown = status.Shots.Where(s => s.IsConcluded).Select(s => (s.RunId, s.Outcome)).ToHashSet();
            try
            {
                while (status.Phase == CampaignPhase.Running)
                {
                    progress.Report(CampaignText.Progress(status.Counts), CampaignText.Fraction(status.Counts));
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                    status = CampaignRecordFile.Read(dir);
                    foreach (var shot in status.Shots.Where(s => s.IsConcluded && shown.Add((s.RunId, s.Outcome))))
                    {
                        progress.Done();
                        Console.WriteLine(CampaignText.Shot(shot));
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            progress.Done();
        }
        Console.WriteLine($"campaign {status.Id}: {status.Phase.ToString().ToLowerInvariant()}; {CampaignText.Progress(status.Counts)}");
        Console.WriteLine(CampaignText.Steps(status.Counts));
        return 0;
    }
}
