using System.Globalization;
using StreamMonitor.Monitoring.Control;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>The <c>{name}</c> values a launch command gets for one shot.</summary>
public static class ShotPlaceholders
{
    public const string JobId = "jobid";

    /// <summary>Every name a launch template may use.</summary>
    public static readonly IReadOnlyList<string> Names =
        ["seed", "config", "config_format", "config_step", "dir", "steps", "point", "shot", "attempt", "run_id", "campaign", "trajectory", "stop_file", "base"];

    public static PlaceholderValues For(CampaignDefinition campaign, ShootingPoint point, ShotRecord shot, string? jobId = null)
    {
        var values = new Dictionary<string, string>
        {
            ["seed"] = shot.Seed.ToString(CultureInfo.InvariantCulture),
            ["config"] = point.Config,
            ["config_format"] = point.ConfigFormat,
            ["config_step"] = point.ConfigStep.ToString(CultureInfo.InvariantCulture),
            ["dir"] = shot.Directory,
            ["steps"] = campaign.MaxSteps.ToString(CultureInfo.InvariantCulture),
            ["point"] = point.Id,
            ["shot"] = shot.Shot.ToString(CultureInfo.InvariantCulture),
            ["attempt"] = shot.Attempt.ToString(CultureInfo.InvariantCulture),
            ["run_id"] = shot.RunId,
            ["campaign"] = campaign.Id,
            ["trajectory"] = Path.Combine(shot.Directory, campaign.Trajectory),
            ["stop_file"] = Path.Combine(shot.Directory, StopFileName),
        };
        if (campaign.BaseDirectory is { } folder) values["base"] = folder;
        if (jobId is not null) values[JobId] = jobId;
        return new PlaceholderValues(values);
    }

    /// <summary>The file in a shot's folder whose existence asks its engine to stop (LAMMPS: <c>fix halt</c> with <c>is_file(STOP)</c>).</summary>
    public const string StopFileName = "STOP";

    /// <summary>Refuses a template that uses a name no shot has, when it is configured rather than at the first launch.</summary>
    public static void Check(CommandTemplate template, string what, params string[] extra)
    {
        foreach (var name in template.Arguments.SelectMany(Placeholders.Names))
            if (!Names.Contains(name, StringComparer.OrdinalIgnoreCase) && !extra.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"{what}: unknown placeholder {{{name}}} (known: {string.Join(", ", Names.Concat(extra))})");
    }
}
