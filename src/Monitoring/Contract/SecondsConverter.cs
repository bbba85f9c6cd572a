using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamMonitor.Monitoring;

/// <summary>Durations in the contract are seconds, as a number (<c>"end_after_idle": 600</c>): what a user writes and a script computes.</summary>
public sealed class SecondsConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double seconds) || !double.IsFinite(seconds))
            throw new JsonException("a duration is a number of seconds");
        return seconds is >= 0 and <= 1e9 ? TimeSpan.FromSeconds(seconds) : throw new JsonException($"a duration of {seconds} s is out of range");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) => writer.WriteNumberValue(value.TotalSeconds);
}
