using System.Text.Json;

namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// One JSON object of a rules file, read field by field with the rules' own error messages: every error names the
/// file and the field's path (<c>rules.json: nucleation.consecutive: expected a whole number, got "three"</c>).
/// Each accessor records the key it was asked for, so <see cref="RejectUnknown"/> can refuse a misspelt field
/// (a typo would otherwise leave a default silently in force) without a second list of keys to keep in step.
/// </summary>
internal sealed class RulesSection
{
    private readonly JsonElement _element;
    private readonly string _source;
    private readonly List<string> _known = [];

    public RulesSection(JsonElement element, string path, string source)
    {
        _element = element;
        _source = source;
        Path = path;
        if (element.ValueKind != JsonValueKind.Object) throw Error(null, $"expected an object {{ ... }}, got {Show(element)}");
    }

    /// <summary>Where this object is in the file (<c>nucleation</c>, <c>basins[1].bounds</c>); empty at the top.</summary>
    public string Path { get; }

    public int Int(string key, int fallback) => Value(key, out var e) ? WholeNumber(key, e) : fallback;

    /// <summary>As <see cref="Int"/>, where a JSON null turns the setting off.</summary>
    public int? NullableInt(string key, int? fallback) => Value(key, out var e) ? e.ValueKind == JsonValueKind.Null ? null : WholeNumber(key, e) : fallback;

    public double Number(string key, double fallback) => Value(key, out var e) ? Number(key, e) : fallback;

    /// <summary>As <see cref="Number(string, double)"/>, where a JSON null turns the setting off.</summary>
    public double? NullableNumber(string key, double? fallback) => Value(key, out var e) ? e.ValueKind == JsonValueKind.Null ? null : Number(key, e) : fallback;

    public bool Bool(string key, bool fallback) =>
        !Value(key, out var e) ? fallback
        : e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean()
        : throw Error(key, $"expected true or false, got {Show(e)}");

    /// <summary>A duration written in seconds.</summary>
    public TimeSpan Seconds(string key, TimeSpan fallback) => Value(key, out var e) ? TimeSpan.FromSeconds(Number(key, e)) : fallback;

    public string String(string key) =>
        !Value(key, out var e) ? throw Error(key, "is required")
        : e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Error(key, $"expected a string, got {Show(e)}");

    /// <summary>A <c>[lower, upper]</c> pair; a JSON null for the whole pair keeps <paramref name="fallback"/> off (returns null).</summary>
    public (double Lower, double Upper)? Pair(string key, (double Lower, double Upper)? fallback)
    {
        if (!Value(key, out var e)) return fallback;
        if (e.ValueKind == JsonValueKind.Null) return null;
        var (lower, upper) = Range(key, e);
        return lower is { } lo && upper is { } hi ? (lo, hi) : throw Error(key, $"expected [lower, upper] with two numbers, got {Show(e)}");
    }

    /// <summary>An object whose every field is a <c>[lower, upper]</c> pair of numbers or nulls, by field name; each name passes <paramref name="checkName"/>.</summary>
    public IReadOnlyDictionary<string, (double? Lower, double? Upper)> Ranges(string key, Action<string> checkName)
    {
        if (Section(key) is not { } ranges) throw Error(key, "is required");
        var result = new Dictionary<string, (double?, double?)>(StringComparer.Ordinal);
        foreach (var property in ranges._element.EnumerateObject())
        {
            ranges.Check(property.Name, () => checkName(property.Name));
            result[property.Name] = ranges.Range(property.Name, property.Value);
        }
        return result;
    }

    /// <summary>A nested object, or null when absent.</summary>
    public RulesSection? Section(string key) =>
        Value(key, out var e) ? e.ValueKind == JsonValueKind.Null ? null : new RulesSection(e, Field(key), _source) : null;

    /// <summary>An array of objects (empty when absent).</summary>
    public IReadOnlyList<RulesSection> Objects(string key)
    {
        if (!Value(key, out var e) || e.ValueKind == JsonValueKind.Null) return [];
        if (e.ValueKind != JsonValueKind.Array) throw Error(key, $"expected an array [ ... ], got {Show(e)}");
        return e.EnumerateArray().Select((item, i) => new RulesSection(item, $"{Field(key)}[{i}]", _source)).ToArray();
    }

    /// <summary>Refuses fields no accessor asked for, listing the ones that are read.</summary>
    public void RejectUnknown()
    {
        foreach (var property in _element.EnumerateObject())
            if (!_known.Contains(property.Name))
                throw Error(property.Name, $"unknown field (known here: {string.Join(", ", _known)})");
    }

    /// <summary>Runs a check (an options record's Validate) and reports its <see cref="ArgumentException"/> at this object, or at <paramref name="key"/> in it.</summary>
    public void Check(string? key, Action check)
    {
        try
        {
            check();
        }
        catch (ArgumentException e)
        {
            throw Error(key, e.Message);
        }
    }

    public FormatException Error(string? key, string problem) =>
        new(Field(key) is { Length: > 0 } field ? $"{_source}: {field}: {problem}" : $"{_source}: {problem}");

    private bool Value(string key, out JsonElement value)
    {
        if (!_known.Contains(key)) _known.Add(key);
        return _element.TryGetProperty(key, out value);
    }

    private (double? Lower, double? Upper) Range(string key, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 2)
            throw Error(key, $"expected [lower, upper] (numbers, or null for no bound), got {Show(e)}");
        double? End(JsonElement end) => end.ValueKind == JsonValueKind.Null ? null : Number(key, end);
        return (End(e[0]), End(e[1]));
    }

    private int WholeNumber(string key, JsonElement e) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int value) ? value : throw Error(key, $"expected a whole number, got {Show(e)}");

    private double Number(string key, JsonElement e) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double value) && double.IsFinite(value)
            ? value
            : throw Error(key, $"expected a number, got {Show(e)}");

    private string Field(string? key) => key is null ? Path : Path.Length == 0 ? key : $"{Path}.{key}";

    private static string Show(JsonElement e)
    {
        var text = e.GetRawText();
        return text.Length <= 40 ? text : text[..37] + "...";
    }
}
