using StreamMonitor.Ingest.Formats;

namespace StreamMonitor.Ingest;

/// <summary>The formats StreamMonitor reads, and picking one for a file by option, extension or content.</summary>
public static class TrajectoryFormats
{
    public static readonly TrajectoryFormat Lammps = new LammpsDumpFormat();
    public static readonly TrajectoryFormat Xyz = new ExtendedXyzFormat();
    public static readonly TrajectoryFormat Xtc = new XtcFormat();

    public static IReadOnlyList<TrajectoryFormat> All { get; } = [Lammps, Xyz, Xtc];

    /// <summary>Names accepted by <c>--format</c>, "auto" first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", .. All.Select(f => f.Name)];

    /// <summary>The format called <paramref name="name"/>, or null for "auto"/null.</summary>
    public static TrajectoryFormat? ByName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        return All.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
               ?? throw new ArgumentException($"unknown format '{name}' (known: {string.Join(", ", Names)})");
    }

    /// <summary>
    /// Picks the format for a file: content first (it cannot lie), then the extension (with a trailing .gz removed).
    /// Returns null when neither tells.
    /// </summary>
    public static TrajectoryFormat? Detect(string path, ReadOnlySpan<byte> head)
    {
        foreach (var f in All)
            if (f.Sniff(head)) return f;
        return ByExtension(path);
    }

    public static TrajectoryFormat? ByExtension(string path)
    {
        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        var ext = Path.GetExtension(name).ToLowerInvariant();
        return All.FirstOrDefault(f => f.Extensions.Contains(ext));
    }
}
