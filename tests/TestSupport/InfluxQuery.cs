using System.Text.Json;

namespace StreamMonitor.TestSupport;

/// <summary>Reads points back from a real InfluxDB 1.x through <c>/query</c> (nanosecond epoch times).</summary>
public static class InfluxQuery
{
    private static readonly HttpClient Http = new();

    /// <summary>Every row of every series the query returns, as column → value (tags and fields), with "time" in ns.</summary>
    public static async Task<List<Dictionary<string, JsonElement>>> RowsAsync(Uri url, string database, string query)
    {
        var uri = new Uri(url, $"query?db={Uri.EscapeDataString(database)}&epoch=ns&q={Uri.EscapeDataString(query)}");
        using var document = JsonDocument.Parse(await Http.GetStringAsync(uri));
        var rows = new List<Dictionary<string, JsonElement>>();
        foreach (var result in document.RootElement.GetProperty("results").EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error)) throw new InvalidOperationException($"query '{query}' failed: {error}");
            if (!result.TryGetProperty("series", out var series)) continue;
            foreach (var s in series.EnumerateArray())
            {
                var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
                foreach (var values in s.GetProperty("values").EnumerateArray())
                {
                    var row = new Dictionary<string, JsonElement>();
                    int i = 0;
                    foreach (var value in values.EnumerateArray())
                    {
                        if (value.ValueKind != JsonValueKind.Null) row[columns[i]] = value.Clone();
                        i++;
                    }
                    if (s.TryGetProperty("tags", out var tags))
                        foreach (var tag in tags.EnumerateObject()) row[tag.Name] = tag.Value.Clone();
                    rows.Add(row);
                }
            }
        }
        return rows;
    }
}
