using System.CommandLine;

namespace StreamMonitor.Cli.Campaigns;

/// <summary><c>streammonitor campaign</c>: shooting campaigns for committor analysis.</summary>
internal static class CampaignCommand
{
    public static Command Create() => new("campaign", "Shooting campaigns: committor estimates from many short shots, each stopped as soon as it commits to a basin.")
    {
        RunCampaignCommand.Create(), CampaignStatusCommand.Create(), AnalyseCampaignCommand.Create(),
    };
}
