using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamMonitor.Monitoring;

/// <summary>
/// The one JSON form of summaries, events, status changes and updates: snake_case names, enums as snake_case strings, durations in seconds,
/// nulls written out (a field is always there, so consumers need not guess). <c>watch --json</c>, the HTTP API, the
/// hub and the cluster's own messages all use these options; <c>schema/streammonitor.schema.json</c> documents them.
/// </summary>
public static class ContractJson
{
    /// <summary>Compact, one object per line.</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions());

    /// <summary>Applies the contract's settings to options that others own (ASP.NET Core's, for one).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null; // class names and labels are data, not member names
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.WriteIndented = false;
        // Read by programs and people, not pasted into HTML: paths and messages keep their quotes and accents as they are.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new SecondsConverter());
        return options;
    }
}
