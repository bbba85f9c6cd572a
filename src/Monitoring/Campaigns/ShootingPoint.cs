using System.Globalization;
using StreamMonitor.Monitoring.Events;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>
/// One configuration a shooting campaign starts trajectories from: a frame of a trajectory written out as a file the MD
/// engine reads, with the frame's summary quantities (the collective variables a reaction coordinate is fitted on).
/// </summary>
/// <param name="Id">Unique within its set: <c>f</c> and the zero-padded frame index (<see cref="IdOf"/>).</param>
/// <param name="Config">
/// The configuration file: an absolute path in memory (<see cref="ShootingPointSet.Load"/> resolves it), relative to the
/// manifest's folder in <c>points.json</c>.
/// </param>
/// <param name="ConfigFormat"><see cref="LammpsConfigurationWriter.Data"/> or <see cref="LammpsConfigurationWriter.Dump"/>.</param>
/// <param name="ConfigStep">The timestep stored in the configuration (what <c>read_dump</c> is asked for).</param>
/// <param name="Frame">0-based index of the frame in the source trajectory.</param>
/// <param name="Step">The MD step the frame was written at.</param>
/// <param name="Values">Every quantity the frame's summary carries, by <see cref="SummaryQuantities"/> name (nulls left out).</param>
public sealed record ShootingPoint(
    string Id, string Config, string ConfigFormat, long ConfigStep, long Frame, long Step, IReadOnlyDictionary<string, double> Values)
{
    /// <summary>The id of the point taken from frame <paramref name="frame"/>: <c>f000040</c>.</summary>
    public static string IdOf(long frame) => "f" + frame.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>
    /// The values of every quantity <paramref name="summary"/> carries: the plain <see cref="SummaryQuantities.Names"/>
    /// in their order, then <c>class:NAME</c> and <c>fraction:NAME</c> for each of the model's classes.
    /// </summary>
    public static IReadOnlyDictionary<string, double> ValuesOf(FrameSummary summary)
    {
        var values = new Dictionary<string, double>();
        var names = SummaryQuantities.Names
            .Concat(summary.ClassCounts.Keys.Select(c => SummaryQuantities.ClassPrefix + c))
            .Concat(summary.ClassCounts.Keys.Select(c => SummaryQuantities.FractionPrefix + c));
        foreach (var name in names)
            if (SummaryQuantities.Get(summary, name) is { } value)
                values[name] = value;
        return values;
    }
}
