using System.Text.Json;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>
/// The shooting points of a campaign and where they come from: the manifest <c>points.json</c> that
/// <c>streammonitor campaign points</c> writes and campaigns read.
/// </summary>
/// <remarks>
/// In the file each point's <c>config</c> is relative to the manifest's folder, so a folder of points can be moved or
/// copied to a cluster as a whole; in memory it is absolute. The JSON is the contract's (<see cref="ContractJson"/>,
/// <c>shooting_point_set</c> in <c>schema/streammonitor.schema.json</c>), indented for people to read.
/// </remarks>
/// <param name="Source">Absolute path of the trajectory the points were taken from.</param>
/// <param name="Model">The model the points' values were computed with.</param>
public sealed record ShootingPointSet(string Source, string Model, IReadOnlyList<ShootingPoint> Points)
{
    /// <summary>The manifest's file name in a folder of points.</summary>
    public const string FileName = "points.json";

    private static readonly JsonSerializerOptions FileOptions = new(ContractJson.Options)
    {
        WriteIndented = true,
        // A field left out or null is an error naming it, not a point with an empty id or step 0.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>
    /// Reads a manifest and resolves its configuration files against the manifest's folder. Errors name the file and,
    /// for a point's problem, the point: <see cref="FileNotFoundException"/> for a missing manifest or configuration,
    /// <see cref="FormatException"/> for anything else wrong with the content.
    /// </summary>
    public static ShootingPointSet Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"{path}: no such file", full);
        ShootingPointSet? set;
        try
        {
            using var stream = File.OpenRead(full);
            set = JsonSerializer.Deserialize<ShootingPointSet>(stream, FileOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not a shooting-points manifest: {e.Message}", e);
        }
        if (set is null) throw new FormatException($"{path}: not a shooting-points manifest: the file holds null");
        var folder = Path.GetDirectoryName(full)!;
        var points = new List<ShootingPoint>(set.Points.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var point in set.Points)
        {
            if (point is null) throw new FormatException($"{path}: point {points.Count + 1} is null");
            if (string.IsNullOrWhiteSpace(point.Id)) throw new FormatException($"{path}: point {points.Count + 1} has an empty id");
            if (!ids.Add(point.Id)) throw new FormatException($"{path}: point id '{point.Id}' appears more than once");
            if (!LammpsConfigurationWriter.Formats.Contains(point.ConfigFormat))
                throw new FormatException($"{path}: point {point.Id}: config_format must be {string.Join(" or ", LammpsConfigurationWriter.Formats)}, got '{point.ConfigFormat}'");
            var config = Path.GetFullPath(Path.Combine(folder, point.Config));
            if (!File.Exists(config))
                throw new FileNotFoundException($"{path}: point {point.Id}: configuration file {point.Config} does not exist (looked for {config})", config);
            points.Add(point with { Config = config });
        }
        if (points.Count == 0) throw new FormatException($"{path}: the manifest holds no points");
        return set with { Points = points };
    }

    /// <summary>Writes the manifest to <paramref name="path"/>, with configuration paths relative to its folder.</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        var text = ToJson(Path.GetDirectoryName(full)!);
        // Written beside and moved into place, so a reader never sees half a manifest.
        var temporary = full + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>The manifest's JSON as <see cref="Save"/> writes it into <paramref name="folder"/>.</summary>
    public string ToJson(string folder)
    {
        var relative = this with
        {
            Points = Points.Select(p => p with { Config = Path.GetRelativePath(folder, Path.GetFullPath(p.Config)) }).ToList(),
        };
        return JsonSerializer.Serialize(relative, FileOptions) + "\n";
    }
}
