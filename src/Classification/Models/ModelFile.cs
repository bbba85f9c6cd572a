using System.Text.Json;
using System.Text.Json.Nodes;
using StreamMonitor.Classification.Features;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// A classifier as one self-contained JSON file: the network (<see cref="MlpParameters"/> or <see cref="GnnParameters"/>), how to compute its inputs
/// (<see cref="FeatureSpec"/>), the class names, the decision threshold and a <see cref="TrainingRecord"/>.
/// </summary>
/// <remarks>
/// The file starts with <c>"format": "streammonitor-model"</c> and <c>"version"</c>. Readers accept every version up to
/// <see cref="CurrentVersion"/>; fields added in later versions are optional with the old behaviour as default, so old
/// files keep loading, and a file from a newer version is refused with a message saying so rather than misread.
/// Numbers are written with round-trip precision, so saving and loading gives the same network bit for bit.
/// <list type="table">
/// <item><term>1</term><description>name, description, classes, threshold, features, network, training.</description></item>
/// <item><term>2</term><description><c>roles</c>: the <see cref="ClassRole"/> of every class by name
/// (<c>{"fcc": "crystal", "liquid": "liquid", "ico": "other"}</c>). Without it a file gets the roles its class names
/// gave before version 2 (<see cref="ClassRoles.FromNames"/>).</description></item>
/// <item><term>3</term><description><c>network.arch</c>: <c>"mlp"</c> (the layers of versions 1 and 2) or <c>"gnn"</c>, a graph
/// network on <c>graph</c> features with its shape (<c>nodes</c>, <c>types</c>, <c>hidden</c>, <c>layers</c>, <c>basis</c>,
/// <c>heads</c>, <c>degree</c>, <c>channels</c>, <c>edges</c>, <c>cutoff</c>, <c>classes</c>) and <c>weights</c>, an object of parameter name to values (single precision, row-major).
/// Without it a network is an MLP.</description></item>
/// </list>
/// </remarks>
public sealed record ModelFile
{
    public const string FormatName = "streammonitor-model";
    public const int CurrentVersion = 3;
    public const string Extension = ".model.json";

    public ModelFile(string name, IReadOnlyList<string> classes, FeatureSpec features, NetworkParameters network)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a model needs a name", nameof(name));
        if (classes.Count != network.OutputCount)
            throw new ArgumentException($"{classes.Count} class names for a network with {network.OutputCount} outputs");
        if (classes.Distinct(StringComparer.Ordinal).Count() != classes.Count || classes.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException($"class names must be distinct and non-empty: {string.Join(", ", classes)}");
        if (classes.Contains(ClassifierModel.UndefinedName))
            throw new ArgumentException($"\"{ClassifierModel.UndefinedName}\" is reserved for rows no class claims");
        if (features.Width != network.InputCount)
            throw new ArgumentException($"the features give {features.Width} inputs, the network takes {network.InputCount}");
        Name = name;
        Classes = classes.ToArray();
        Features = features;
        Network = network;
        _roles = ClassRoles.FromNames(Classes);
    }

    private readonly IReadOnlyList<ClassRole> _roles;

    public string Name { get; }
    public string? Description { get; init; }
    public IReadOnlyList<string> Classes { get; }

    /// <summary>
    /// The role of each class, in class order: which classes are crystals (what live summaries count as crystalline),
    /// the liquid, or other. Defaults to <see cref="ClassRoles.FromNames"/>.
    /// </summary>
    public IReadOnlyList<ClassRole> Roles
    {
        get => _roles;
        init
        {
            if (value.Count != Classes.Count)
                throw new ArgumentException($"{value.Count} roles for {Classes.Count} classes");
            if (value.Any(r => !Enum.IsDefined(r))) throw new ArgumentException("a class role is not crystal, liquid or other");
            _roles = value.ToArray();
        }
    }

    /// <summary>The classes whose role is <see cref="ClassRole.Crystal"/>, in class order.</summary>
    public IReadOnlyList<string> CrystalClasses => ClassRoles.With(Classes, Roles, ClassRole.Crystal);
    public FeatureSpec Features { get; }
    public NetworkParameters Network { get; }

    /// <summary>A row belongs to a class when that output alone exceeds this.</summary>
    public double Threshold { get; init; } = 0.5;

    public TrainingRecord Training { get; init; } = new();

    public static ModelFile Load(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not a model file (invalid JSON at line {e.LineNumber + 1}: {e.Message})", e);
        }
        if (root is not JsonObject json || json["format"]?.GetValue<string>() != FormatName)
            throw new FormatException($"{path}: not a model file (no \"format\": \"{FormatName}\")");
        int version = json["version"]?.GetValue<int>() ?? throw new FormatException($"{path}: no \"version\"");
        if (version > CurrentVersion)
            throw new FormatException($"{path}: model format version {version} is newer than this StreamMonitor reads ({CurrentVersion}); upgrade StreamMonitor");
        try
        {
            var classes = json["classes"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
            var features = FeatureSpec.FromJson(json["features"]!.AsObject(), path);
            var network = ReadNetwork(json["network"]!.AsObject());
            return new ModelFile(json["name"]?.GetValue<string>() ?? Path.GetFileName(path), classes, features, network)
            {
                Roles = json["roles"] is { } roles ? ReadRoles(roles, classes) : ClassRoles.FromNames(classes),
                Description = json["description"]?.GetValue<string>(),
                Threshold = json["threshold"]?.GetValue<double>() ?? 0.5,
                Training = json["training"] is JsonObject t ? t.Deserialize<TrainingRecord>(JsonOptions) ?? new() : new(),
            };
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or ArgumentException or JsonException or KeyNotFoundException)
        {
            throw new FormatException($"{path}: {(e is NullReferenceException ? "a required field is missing" : e.Message)}", e);
        }
        catch (FormatException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new FormatException($"{path}: {e.Message}", e); // the network's errors; the features' already name the file
        }
    }

    public void Save(string path)
    {
        var json = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = CurrentVersion,
            ["name"] = Name,
            ["description"] = Description,
            ["classes"] = new JsonArray(Classes.Select(c => (JsonNode)c).ToArray()),
            ["roles"] = WriteRoles(Classes, Roles),
            ["threshold"] = Threshold,
            ["features"] = Features.ToJson(),
            ["network"] = WriteNetwork(Network),
            ["training"] = JsonSerializer.SerializeToNode(Training, JsonOptions),
        };
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static JsonObject WriteRoles(IReadOnlyList<string> classes, IReadOnlyList<ClassRole> roles)
    {
        var json = new JsonObject();
        for (int k = 0; k < classes.Count; k++) json[classes[k]] = ClassRoles.Name(roles[k]);
        return json;
    }

    /// <summary>Every class must have a role, and every role a class: a file that says anything says it all.</summary>
    private static IReadOnlyList<ClassRole> ReadRoles(JsonNode node, IReadOnlyList<string> classes)
    {
        if (node is not JsonObject json) throw new ArgumentException("roles: must be an object of class name to role");
        var roles = new ClassRole?[classes.Count];
        foreach (var (name, value) in json)
        {
            int k = classes.ToList().IndexOf(name);
            if (k < 0) throw new ArgumentException($"roles: '{name}' is not one of the classes ({string.Join(", ", classes)})");
            try
            {
                roles[k] = ClassRoles.Parse(value?.GetValue<string>() ?? "");
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"roles: {name}: {e.Message}", e);
            }
        }
        if (Array.FindIndex(roles, r => r is null) is var missing and >= 0)
            throw new ArgumentException($"roles: class '{classes[missing]}' has no role (crystal, liquid or other)");
        return roles.Select(r => r!.Value).ToArray();
    }

    private static JsonObject WriteNetwork(NetworkParameters network) => network switch
    {
        MlpParameters mlp => WriteMlp(mlp),
        GnnParameters gnn => WriteGnn(gnn),
        _ => throw new ArgumentException($"network: no file form for arch \"{network.Arch}\""),
    };

    private static NetworkParameters ReadNetwork(JsonObject json) => (json["arch"]?.GetValue<string>() ?? MlpParameters.ArchName) switch
    {
        MlpParameters.ArchName => ReadMlp(json),
        GnnParameters.ArchName => ReadGnn(json),
        var other => throw new FormatException($"network: arch \"{other}\" is not known ({MlpParameters.ArchName}, {GnnParameters.ArchName})"),
    };

    private static JsonObject WriteMlp(MlpParameters network) => new()
    {
        ["arch"] = network.Arch,
        ["hidden_activation"] = "sigmoid",
        ["output_activation"] = OutputName(network.Output),
        ["input_translation"] = Numbers(network.InputTranslation),
        ["input_stretch"] = Numbers(network.InputStretch),
        ["layers"] = new JsonArray(network.Layers.Select(l => (JsonNode)new JsonObject
        {
            ["inputs"] = l.Inputs,
            ["outputs"] = l.Outputs,
            ["weights"] = Numbers(l.Weights),
            ["bias"] = Numbers(l.Bias),
        }).ToArray()),
    };

    private static MlpParameters ReadMlp(JsonObject json)
    {
        string hidden = json["hidden_activation"]?.GetValue<string>() ?? "sigmoid";
        if (hidden != "sigmoid") throw new FormatException($"network: hidden_activation \"{hidden}\" is not supported (sigmoid)");
        var output = ReadOutput(json);
        var layers = json["layers"]!.AsArray().Select(n => n!.AsObject()).Select(l => new DenseLayer(
            l["inputs"]!.GetValue<int>(), l["outputs"]!.GetValue<int>(), ReadNumbers(l["weights"]!), ReadNumbers(l["bias"]!))).ToArray();
        return new MlpParameters(ReadNumbers(json["input_translation"]!), ReadNumbers(json["input_stretch"]!), layers, output);
    }

    private static JsonObject WriteGnn(GnnParameters network)
    {
        var weights = new JsonObject();
        // Single precision, as the network was trained and runs: half the text of round-trip doubles, and the same values.
        foreach (var (name, values) in network.Weights) weights[name] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
        return new JsonObject
        {
            ["arch"] = network.Arch,
            ["output_activation"] = OutputName(network.Output),
            ["nodes"] = network.Nodes,
            ["types"] = network.Types,
            ["hidden"] = network.Hidden,
            ["layers"] = network.Layers,
            ["basis"] = network.Basis,
            ["heads"] = network.Heads,
            ["degree"] = network.Degree,
            ["channels"] = network.Channels,
            ["edges"] = network.Edges,
            ["cutoff"] = network.Cutoff,
            ["classes"] = network.Classes,
            ["weights"] = weights,
        };
    }

    private static GnnParameters ReadGnn(JsonObject json)
    {
        int Required(string field) => json[field]?.GetValue<int>() ?? throw new FormatException($"network (gnn): no \"{field}\"");
        if (json["heads"] is null && json["weights"] is JsonObject old && old.ContainsKey("layers.0.triangle.weight"))
            throw new FormatException("network (gnn): this graph network has triangle edge updates, a design no longer read; train it again with 'train --arch gnn'");
        var weights = (json["weights"] as JsonObject ?? throw new FormatException("network (gnn): no \"weights\" object"))
            .ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(n => n!.GetValue<float>()).ToArray());
        int degree = Required("degree"), channels = Required("channels");
        // The earlier layers had one power spectrum per node, half the invariants of today's.
        if (weights.TryGetValue("layers.0.angular_norm.weight", out var layerNorm) && layerNorm.Length == GnnParameters.LayerInvariantCount(degree, channels) / 2)
            throw new FormatException("network (gnn): this graph network's layers hear no neighbourhood-averaged harmonics, a design no longer read; train it again with 'train --arch gnn'");
        return new GnnParameters(Required("nodes"), Required("types"), Required("hidden"), Required("layers"), Required("basis"),
            json["cutoff"]?.GetValue<double>() ?? throw new FormatException("network (gnn): no \"cutoff\""), Required("classes"), weights, ReadOutput(json),
            Required("heads"), degree, channels, Required("edges"));
    }

    private static string OutputName(OutputActivation output) => output == OutputActivation.Softmax ? "softmax" : "sigmoid";

    private static OutputActivation ReadOutput(JsonObject json) => (json["output_activation"]?.GetValue<string>() ?? "softmax") switch
    {
        "softmax" => OutputActivation.Softmax,
        "sigmoid" => OutputActivation.Sigmoid,
        var other => throw new FormatException($"network: output_activation \"{other}\" is not supported (sigmoid, softmax)"),
    };

    // System.Text.Json writes the shortest text that reads back as the same double.
    private static JsonArray Numbers(double[] values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    private static double[] ReadNumbers(JsonNode node) => node.AsArray().Select(n => n!.GetValue<double>()).ToArray();
}
