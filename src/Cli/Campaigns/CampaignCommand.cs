using System.CommandLine;

namespace StreamMonitor.Cli.Campaigns;

/// <summary><c>streammonitor campaign</c>: the commands of shooting campaigns for committor analysis.</summary>
internal static class CampaignCommand
{
    public static Command Create() => new("campaign", "Shooting campaigns: choose shooting points, launch shots, stop each as soon as it commits to a basin, analyse the outcomes.")
    {
        PointsCommand.Create(), RunCampaignCommand.Create(), CampaignStatusCommand.Create(), AnalyseCampaignCommand.Create(),
    };
}
