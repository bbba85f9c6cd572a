using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.Monitoring.Events;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>
/// A campaign as written by its author, in JSON (snake_case, comments and trailing commas allowed, unknown fields refused):
/// <code>
/// {
///   "id": "lj-nucleation",
///   "basins": [ { "name": "liquid", "bounds": { "n_max": [null, 15] } }, { "name": "crystal", "bounds": { "n_max": [250, null] } } ],
///   "commitment": { "consecutive": 1 },
///   "points": "points/points.json",              // a manifest from `campaign points`, or a list of { id, config, values }
///   "shots_per_point": 10,
///   "launch": { "command": "lmp -in shoot.in -var config {config} -var seed {seed} -var steps {steps}" },  // or { "name": "lmp" }
///   "max_steps": 20000,
///   "concurrent": 2,
///   "directory": "shots"
/// }
/// </code>
/// Relative paths are taken from the campaign file's folder. The first basin is A, the second B.
/// </summary>
public static class CampaignFile
{
    private static readonly JsonSerializerOptions Json = ContractJson.Configure(new JsonSerializerOptions
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    });

    /// <summary>A campaign file and, when it writes its launch command out (<c>"launch": {"command": ...}</c>), that command.</summary>
    public sealed record Parsed(CampaignDefinition Definition, LaunchCommand? InlineLaunch);

    public static Parsed Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"campaign file {path} does not exist", path);
        var full = Path.GetFullPath(path);
        return Parse(File.ReadAllText(full), full, Path.GetDirectoryName(full)!);
    }

    /// <summary>
    /// Reads a campaign; <paramref name="source"/> starts every error and <paramref name="folder"/> resolves relative paths.
    /// A <see cref="FormatException"/> names the field at fault.
    /// </summary>
    public static Parsed Parse(string json, string source, string folder)
    {
        Body body;
        try
        {
            body = JsonSerializer.Deserialize<Body>(json, Json) ?? throw new FormatException($"{source}: null");
        }
        catch (JsonException e)
        {
            var at = e.Path is { } p && !e.Message.Contains(p, StringComparison.Ordinal) ? $" (at {p})" : "";
            throw new FormatException($"{source}: {e.Message}{at}");
        }
        try
        {
            return Resolve(body, source, folder);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{source}: {e.Message}", e);
        }
    }

    private static Parsed Resolve(Body body, string source, string folder)
    {
        if (string.IsNullOrWhiteSpace(body.Id)) throw new ArgumentException("'id' is missing");
        if (body.Basins is not JsonArray { Count: 2 } basins)
            throw new ArgumentException("'basins' must list exactly two basins: A first, then B (e.g. [{\"name\": \"liquid\", \"bounds\": {\"n_max\": [null, 15]}}, ...])");
        var rules = new JsonObject { ["basins"] = basins.DeepClone() };
        if (body.Commitment is { } commitment) rules["commitment"] = commitment.DeepClone();
        var rulesJson = rules.ToJsonString();
        EventRules parsed;
        try
        {
            parsed = EventRules.Parse(rulesJson, "basins");
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, e);
        }
        if (body.ShotsPerPoint is not { } shots) throw new ArgumentException("'shots_per_point' is missing");
        if (body.MaxSteps is not { } maxSteps) throw new ArgumentException("'max_steps' is missing (the longest a shot runs, in MD steps)");
        var (launchName, inline) = ReadLaunch(body.Launch, body.Id);
        var directory = Path.GetFullPath(body.Directory ?? "shots", folder);
        var defaults = new CampaignDefinition
        {
            Id = body.Id, Rules = rulesJson, BasinNames = [], Points = [], ShotsPerPoint = 1, Launch = launchName, Directory = directory, MaxSteps = 1,
        };
        var definition = defaults with
        {
            BasinNames = parsed.Commitment.Basins.Select(b => b.Name).ToArray(),
            Points = ReadPoints(body.Points, folder, "points"),
            ShotsPerPoint = shots,
            MaxSteps = maxSteps,
            Layout = body.Layout ?? defaults.Layout,
            Trajectory = body.Trajectory ?? defaults.Trajectory,
            Format = body.Format,
            Model = body.Model ?? defaults.Model,
            Concurrent = body.Concurrent ?? defaults.Concurrent,
            Seed = body.Seed ?? defaults.Seed,
            EndAfterIdle = body.EndAfterIdle ?? defaults.EndAfterIdle,
            MaxAttempts = body.MaxAttempts ?? defaults.MaxAttempts,
            StopGrace = body.StopGrace ?? defaults.StopGrace,
            Adaptive = body.Adaptive is { } adaptive ? ReadAdaptive(adaptive, shots, folder) : null,
            BaseDirectory = folder,
            Source = source,
        };
        definition.Validate();
        return new Parsed(definition, inline);
    }

    private static (string Name, LaunchCommand? Inline) ReadLaunch(LaunchBody? launch, string campaignId)
    {
        if (launch is null) throw new ArgumentException("'launch' is missing: give {\"name\": NAME} of a server launch command, or {\"command\": \"...\"}");
        if ((launch.Name is null) == (launch.Command is null)) throw new ArgumentException("launch: give exactly one of \"name\" (a server launch command) and \"command\"");
        if (launch.Name is { } name)
        {
            if (launch.Kind is not null || launch.Status is not null) throw new ArgumentException("launch: \"kind\" and \"status\" belong to the server's command, not to a named one");
            return (name, null);
        }
        // A command written in the file is the file author's own: only `campaign run`, which runs as its author, accepts it.
        var kind = launch.Kind ?? LaunchKinds.Local;
        var status = launch.Status is { } s ? Template(s, "launch.status") : null;
        var command = new LaunchCommand(CommandName(campaignId), kind, Template(launch.Command!.Value, "launch.command"), status,
            launch.Timeout);
        return (command.Name, command);
    }

    /// <summary>The name an inline launch command is configured under: the campaign's id, made a valid command name.</summary>
    private static string CommandName(string campaignId)
    {
        var name = new string(campaignId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '-').ToArray());
        name = char.IsAsciiLetter(name[0]) ? name : "c" + name;
        return name.Length > 64 ? name[..64] : name;
    }

    private static AdaptiveShooting ReadAdaptive(AdaptiveBody adaptive, int shotsPerPoint, string folder)
    {
        if (adaptive.Candidates is not { } candidates) throw new ArgumentException("adaptive.candidates is missing (a points manifest, or a list of points)");
        if (adaptive.Points is not { } points) throw new ArgumentException("adaptive.points is missing (how many points to add)");
        return new AdaptiveShooting
        {
            Candidates = ReadPoints(candidates, folder, "adaptive.candidates"),
            Points = points,
            ShotsPerPoint = adaptive.ShotsPerPoint ?? shotsPerPoint,
            Inputs = adaptive.Inputs ?? ["n_max"],
        };
    }

    private static CommandTemplate Template(JsonElement element, string field)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.String => CommandTemplate.Parse(element.GetString()!),
                JsonValueKind.Array => new CommandTemplate(element.EnumerateArray().Select(a => a.GetString() ?? throw new FormatException("null argument")).ToArray()),
                _ => throw new FormatException("must be a command line or a JSON array of arguments"),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
        {
            throw new ArgumentException($"{field}: {e.Message}", e);
        }
    }

    private static IReadOnlyList<ShootingPoint> ReadPoints(JsonElement? points, string folder, string field)
    {
        switch (points)
        {
            case { ValueKind: JsonValueKind.String } manifest:
                var path = Path.GetFullPath(manifest.GetString()!, folder);
                if (!File.Exists(path)) throw new ArgumentException($"{field}: the manifest {path} does not exist (write one with `streammonitor campaign points TRAJ`)");
                try
                {
                    return ShootingPointSet.Load(path).Points;
                }
                catch (Exception e) when (e is FormatException or JsonException or IOException)
                {
                    throw new ArgumentException($"{field}: {e.Message}", e);
                }
            case { ValueKind: JsonValueKind.Array } list:
                var read = new List<ShootingPoint>();
                int i = 0;
                foreach (var item in list.EnumerateArray())
                {
                    ShootingPoint point;
                    try
                    {
                        point = item.Deserialize<ShootingPoint>(Json) ?? throw new FormatException("null");
                    }
                    catch (Exception e) when (e is JsonException or FormatException)
                    {
                        throw new ArgumentException($"{field}[{i}]: {e.Message}", e);
                    }
                    if (string.IsNullOrWhiteSpace(point.Config)) throw new ArgumentException($"{field}[{i}]: 'config' is missing");
                    var config = Path.GetFullPath(point.Config, folder);
                    if (!File.Exists(config)) throw new ArgumentException($"{field}[{i}] ('{point.Id}'): configuration {config} does not exist");
                    read.Add(point with { Config = config, ConfigFormat = point.ConfigFormat ?? LammpsConfigurationWriter.Data, Values = point.Values ?? new Dictionary<string, double>() });
                    i++;
                }
                return read;
            default:
                throw new ArgumentException($"'{field}' must be the path of a points manifest or a list of {{\"id\", \"config\", \"values\"}}");
        }
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    private sealed record Body
    {
        public string? Id { get; init; }
        public JsonNode? Basins { get; init; }
        public JsonNode? Commitment { get; init; }
        public JsonElement? Points { get; init; }
        public int? ShotsPerPoint { get; init; }
        public LaunchBody? Launch { get; init; }
        public string? Directory { get; init; }
        public string? Layout { get; init; }
        public string? Trajectory { get; init; }
        public string? Format { get; init; }
        public string? Model { get; init; }
        public long? MaxSteps { get; init; }
        public int? Concurrent { get; init; }
        public long? Seed { get; init; }
        public TimeSpan? EndAfterIdle { get; init; }
        public int? MaxAttempts { get; init; }
        public TimeSpan? StopGrace { get; init; }
        public AdaptiveBody? Adaptive { get; init; }
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    private sealed record AdaptiveBody
    {
        public JsonElement? Candidates { get; init; }
        public int? Points { get; init; }
        public int? ShotsPerPoint { get; init; }
        public IReadOnlyList<string>? Inputs { get; init; }
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    private sealed record LaunchBody
    {
        public string? Name { get; init; }
        public JsonElement? Command { get; init; }
        public string? Kind { get; init; }
        public JsonElement? Status { get; init; }
        public TimeSpan? Timeout { get; init; }
    }
}
