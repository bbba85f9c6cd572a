namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>A configuration shots start from, with the summary values of the frame it was taken from.</summary>
public sealed record ShootingPoint
{
    public required string Id { get; init; }

    /// <summary>The configuration file (absolute once loaded).</summary>
    public required string Config { get; init; }

    /// <summary><c>data</c> (a LAMMPS data file) or <c>dump</c> (a one-frame dump for <c>read_dump</c>).</summary>
    public string ConfigFormat { get; init; } = "data";

    public long ConfigStep { get; init; }

    public long? Frame { get; init; }

    public long? Step { get; init; }

    public IReadOnlyDictionary<string, double> Values { get; init; } = new Dictionary<string, double>();
}
