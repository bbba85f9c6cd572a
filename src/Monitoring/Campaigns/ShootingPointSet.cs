using System.Text.Json;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>A points manifest (<c>points.json</c>).</summary>
public sealed record ShootingPointSet
{
    public string? Source { get; init; }
    public string? Model { get; init; }
    public IReadOnlyList<ShootingPoint> Points { get; init; } = [];

    public static ShootingPointSet Load(string path)
    {
        var set = JsonSerializer.Deserialize<ShootingPointSet>(File.ReadAllText(path), ContractJson.Options) ?? throw new FormatException($"{path}: null");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return set with { Points = set.Points.Select(p => p with { Config = Path.GetFullPath(p.Config, folder) }).ToArray() };
    }
}
