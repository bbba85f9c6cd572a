using System.Globalization;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Dashboard.Api;

/// <summary>
/// Frame summaries as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break quoted),
/// one row per summary under a header of stable names, numbers in the invariant culture, empty fields for nulls. Class
/// counts get one column each (<c>class_&lt;name&gt;</c>), in the order of the first summary's classes (the model's).
/// </summary>
public static class SummaryCsv
{
    private static readonly string[] Leading = ["sequence", "recorded_at", "frame", "step", "time", "model", "count"];

    private static readonly string[] Trailing =
    [
        "undefined", "crystalline", "crystalline_fraction", "dominant_crystal", "n_max", "largest_rg", "mean_q6", "surface", "core",
        "interface_position", "interface_velocity", "frames_behind", "latency_ms",
    ];

    /// <summary>The header's columns for a model with <paramref name="classes"/>.</summary>
    public static IReadOnlyList<string> Columns(IEnumerable<string> classes) =>
        [.. Leading, .. classes.Select(c => "class_" + c), .. Trailing];

    /// <summary>Writes the header and a row per summary update of <paramref name="updates"/>, as they come.</summary>
    public static async Task WriteAsync(IAsyncEnumerable<RunUpdate> updates, TextWriter writer, CancellationToken cancellationToken = default)
    {
        string[]? classes = null;
        await foreach (var update in updates.WithCancellation(cancellationToken))
        {
            if (update.Summary is not { } summary) continue;
            if (classes is null)
            {
                classes = [.. summary.ClassCounts.Keys];
                await WriteLineAsync(writer, Columns(classes));
            }
            await WriteLineAsync(writer, Row(update.Sequence, update.RecordedAt, summary, classes));
        }
        if (classes is null) await WriteLineAsync(writer, Columns([]));
    }

    private static IEnumerable<string?> Row(long sequence, DateTimeOffset recordedAt, FrameSummary s, string[] classes) =>
    [
        Text(sequence), recordedAt.ToString("O", CultureInfo.InvariantCulture), Text(s.Frame), Text(s.Step), Text(s.Time), s.Model, Text(s.Count),
        .. classes.Select(c => Text(s.CountOf(c))),
        Text(s.Undefined), Text(s.Crystalline), Text(s.CrystallineFraction), s.DominantCrystal, Text(s.NMax), Text(s.LargestRg), Text(s.MeanQ6),
        Text(s.Surface), Text(s.Core), Text(s.InterfacePosition), Text(s.InterfaceVelocity), Text(s.FramesBehind), Text(s.LatencyMs),
    ];

    private static Task WriteLineAsync(TextWriter writer, IEnumerable<string?> fields) =>
        writer.WriteAsync(string.Join(',', fields.Select(Quoted)) + "\r\n");

    private static string? Text<T>(T? value) where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture);

    private static string? Text<T>(T value) where T : struct, IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    private static string Quoted(string? field) =>
        field is null ? "" : field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
