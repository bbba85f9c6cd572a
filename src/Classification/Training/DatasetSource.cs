using System.Globalization;

namespace StreamMonitor.Classification.Training;

/// <summary>
/// One labelled input of a dataset: every row from frames [<see cref="FirstFrame"/>, <see cref="EndFrame"/>) of a
/// trajectory gets <see cref="Label"/>, optionally only rows anchored on atoms of the given types (so a run can
/// mark the atoms it labels with their own type). A source labelled <c>oracle:NAME</c> (<see cref="Oracle"/>) takes each
/// atom's label from that oracle instead, and only the atoms the oracle labels unambiguously as a crystal.
/// </summary>
public sealed record DatasetSource(string Label, string Path, long FirstFrame = 0, long? EndFrame = null, IReadOnlySet<int>? Types = null)
{
    public const string OraclePrefix = "oracle:";

    /// <summary>The oracle that labels this source's atoms, or null for a source with one label.</summary>
    public string? Oracle => Label.StartsWith(OraclePrefix, StringComparison.Ordinal) ? Label[OraclePrefix.Length..] : null;

    public bool Includes(long frame) => frame >= FirstFrame && (EndFrame is null || frame < EndFrame);

    public override string ToString() =>
        $"{Label}={Path}{(FirstFrame != 0 || EndFrame is not null ? $"@{FirstFrame}:{EndFrame}" : "")}{(Types is null ? "" : $"#types={string.Join(",", Types.Order())}")}";

    /// <summary>
    /// Reads a manifest: tab-separated lines <c>label path [frames [types]]</c> (label <c>oracle:NAME</c>: labels from an oracle), frames <c>all</c> or <c>a:b</c> (0-based,
    /// end exclusive, either side optional), types <c>all</c> or a comma list; paths relative to the manifest; <c>#</c>
    /// starts a comment.
    /// </summary>
    public static IReadOnlyList<DatasetSource> ReadManifest(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var sources = new List<DatasetSource>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split('\t', StringSplitOptions.TrimEntries);
            try
            {
                if (fields.Length < 2 || fields.Length > 4) throw new FormatException($"expected 2 to 4 tab-separated fields (label, path, frames, types), got {fields.Length}");
                if (fields[0] == OraclePrefix) throw new FormatException($"label '{fields[0]}' names no oracle (oracle:cna-quench)");
                var (first, end) = ParseFrames(fields.Length > 2 ? fields[2] : "all");
                var types = fields.Length > 3 ? ParseTypes(fields[3]) : null;
                var file = System.IO.Path.IsPathRooted(fields[1]) ? fields[1] : System.IO.Path.Combine(directory, fields[1]);
                sources.Add(new DatasetSource(fields[0], file, first, end, types));
            }
            catch (FormatException e)
            {
                throw new FormatException($"{path}:{lineNumber}: {e.Message}", e);
            }
        }
        if (sources.Count == 0) throw new FormatException($"{path}: no sources (lines 'label<TAB>path[<TAB>frames[<TAB>types]]')");
        return sources;
    }

    /// <summary>Parses <c>all</c>, <c>a:b</c>, <c>a:</c> or <c>:b</c>.</summary>
    public static (long First, long? End) ParseFrames(string text)
    {
        if (text is "all" or "") return (0, null);
        var parts = text.Split(':');
        if (parts.Length != 2) throw new FormatException($"frames '{text}' is not 'all' or 'first:end'");
        long first = parts[0].Length == 0 ? 0 : ParseCount(parts[0], text);
        long? end = parts[1].Length == 0 ? null : ParseCount(parts[1], text);
        if (end <= first) throw new FormatException($"frames '{text}' is an empty range");
        return (first, end);
    }

    public static IReadOnlySet<int>? ParseTypes(string text)
    {
        if (text is "all" or "") return null;
        return text.Split(',').Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 0
            ? v : throw new FormatException($"types '{text}': '{t}' is not an atom type number")).ToHashSet();
    }

    private static long ParseCount(string text, string whole) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : throw new FormatException($"frames '{whole}': '{text}' is not a frame index");
}
