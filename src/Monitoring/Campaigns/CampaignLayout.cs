using System.Globalization;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>Names and seeds of a campaign's shots: run ids, folders and velocity seeds, the same every time for the same definition.</summary>
public static class CampaignLayout
{
    /// <summary>The run a shot is watched as: <c>CAMPAIGN:POINT:SHOT</c>, and <c>:rN</c> for attempt N after the first.</summary>
    public static string RunId(string campaign, string point, int shot, int attempt) =>
        string.Create(CultureInfo.InvariantCulture, $"{campaign}:{point}:{shot:000}") + (attempt > 1 ? string.Create(CultureInfo.InvariantCulture, $":r{attempt}") : "");

    /// <summary>
    /// The campaign a run belongs to, read from its id (<c>CAMPAIGN:POINT:SHOT</c>, <see cref="RunId"/>); null for a run
    /// whose id is not a shot's. Used to tag metrics by campaign without asking a grain.
    /// </summary>
    public static string? CampaignOf(string runId)
    {
        var parts = runId.Split(':');
        return parts.Length is 3 or 4 && parts[2].Length >= 3 && parts[2].All(char.IsAsciiDigit) && (parts.Length == 3 || parts[3].StartsWith('r'))
            ? parts[0]
            : null;
    }

    /// <summary>The shot's folder: the layout under the campaign's folder, with <c>.rN</c> for attempt N after the first.</summary>
    public static string Directory(CampaignDefinition campaign, string point, int shot, int attempt)
    {
        var relative = campaign.Layout.Replace("{point}", point, StringComparison.Ordinal)
            .Replace("{shot}", shot.ToString("000", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        if (attempt > 1) relative += string.Create(CultureInfo.InvariantCulture, $".r{attempt}");
        return Path.Combine(campaign.Directory, relative);
    }

    /// <summary>
    /// A velocity seed in 1..900,000,000 (LAMMPS takes positive 32-bit seeds) from the campaign's seed, the point's
    /// position, the shot and the attempt: distinct shots get unrelated seeds, a rerun of the campaign the same ones.
    /// </summary>
    public static long Seed(long campaignSeed, int pointIndex, int shot, int attempt)
    {
        ulong x = (ulong)campaignSeed;
        x = Mix(x ^ (ulong)pointIndex);
        x = Mix(x ^ ((ulong)shot << 20));
        x = Mix(x ^ ((ulong)attempt << 40));
        return 1 + (long)(x % 900_000_000UL);
    }

    /// <summary>SplitMix64's finaliser.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
