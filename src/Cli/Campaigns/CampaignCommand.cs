using System.CommandLine;

namespace StreamMonitor.Cli.Campaigns;

/// <summary><c>streammonitor campaign</c>: the commands of shooting campaigns for committor analysis.</summary>
internal static class CampaignCommand
{
    public static Command Create() => new("campaign", "Shooting campaigns: choose shooting points, launch shots, follow and analyse their outcomes.")
    {
        PointsCommand.Create(),
    };
}
