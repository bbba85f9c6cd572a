using System.Collections.Frozen;
using System.Text.Json;

namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// Every detector's options and which detectors are on: what a run is registered with and what
/// <see cref="EventDetectors"/> is built from. Written as JSON with snake_case keys, one section per detector named
/// as its event kind, each optional and each with an optional <c>"enabled": false</c>:
/// <code>
/// {
///   "nucleation": { "threshold": 200, "growth": 100, "consecutive": 3 },
///   "melting": { "drop": 0.3, "below": 0.05 },
///   "polymorph_change": { "consecutive": 5 },
///   "interface_motion": { "speed": 0.5, "bounds": [0, 16.2] },
///   "basins": [ { "name": "A", "bounds": { "n_max": [null, 20] } }, { "name": "B", "bounds": { "crystalline_fraction": [0.8, null] } } ],
///   "commitment": { "consecutive": 1, "rearm": false },
///   "stall": { "multiple": 5, "minimum_seconds": 10 },
///   "restart": { "enabled": false }
/// }
/// </code>
/// Comments and trailing commas are allowed. A null turns off an optional rule (<c>"growth": null</c>).
/// </summary>
public sealed record EventRules
{
    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Every detector on with its default options, and no basins (so no commitment events).</summary>
    public static EventRules Default { get; } = new();

    public NucleationOptions Nucleation { get; init; } = new();
    public MeltingOptions Melting { get; init; } = new();
    public PolymorphChangeOptions PolymorphChange { get; init; } = new();
    public InterfaceMotionOptions InterfaceMotion { get; init; } = new();
    public CommitmentOptions Commitment { get; init; } = new();
    public StallOptions Stall { get; init; } = new();

    /// <summary>The <see cref="RunEventKinds.Detected"/> kinds whose detectors run (all by default).</summary>
    public IReadOnlySet<string> Enabled { get; init; } = RunEventKinds.Detected.ToFrozenSet(StringComparer.Ordinal);

    public bool IsEnabled(string kind) => Enabled.Contains(kind);

    /// <summary>Checks every section; the <see cref="ArgumentException"/> names the section and the field.</summary>
    public void Validate()
    {
        foreach (var kind in Enabled)
            if (!RunEventKinds.Detected.Contains(kind))
                throw new ArgumentException($"enabled: '{kind}' is not a detected event kind ({string.Join(", ", RunEventKinds.Detected)})");
        Check(RunEventKinds.Nucleation, Nucleation.Validate);
        Check(RunEventKinds.Melting, Melting.Validate);
        Check(RunEventKinds.PolymorphChange, PolymorphChange.Validate);
        Check(RunEventKinds.InterfaceMotion, InterfaceMotion.Validate);
        Check(RunEventKinds.Commitment, Commitment.Validate);
        Check(RunEventKinds.Stall, Stall.Validate);
    }

    /// <summary>Reads a rules file; errors name the file and the field (<see cref="Parse"/>).</summary>
    public static EventRules Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"rules file {path} does not exist", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>
    /// Reads rules from JSON text; <paramref name="source"/> (the file name) starts every error. Throws
    /// <see cref="FormatException"/> for malformed JSON, wrong types, unknown fields and values the options refuse.
    /// </summary>
    public static EventRules Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {Reason(e)}", e);
        }
        using (document)
            return EventRulesReader.Read(new RulesSection(document.RootElement, "", source));
    }

    private static void Check(string section, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{section}: {e.Message}", e);
        }
    }

    /// <summary>The reader's message without its trailing position (given already).</summary>
    private static string Reason(JsonException e)
    {
        int at = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at > 0 ? e.Message[..at].TrimEnd() : e.Message;
    }
}
