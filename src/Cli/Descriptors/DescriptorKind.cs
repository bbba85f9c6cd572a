using StreamMonitor.Core;

namespace StreamMonitor.Cli.Descriptors;

/// <summary>
/// One <c>--kind</c> of <c>streammonitor descriptors</c>: its CSV columns and how it turns a frame into rows.
/// Subclasses are found by reflection, so adding a kind is adding a file.
/// </summary>
internal abstract class DescriptorKind
{
    /// <summary>The value of <c>--kind</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line for the help text.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// Checks the options and prepares the compute objects (once, before the first frame); throws
    /// <see cref="ArgumentException"/> with a message for the user when an option is missing or wrong.
    /// </summary>
    public abstract void Configure(DescriptorOptions options);

    /// <summary>The CSV header, without the trailing newline (e.g. <c>frame,id,q4,q6</c>).</summary>
    public abstract string Header { get; }

    /// <summary>
    /// Writes the rows of one frame (each starting with the frame index) to <paramref name="csv"/>, and an optional
    /// one-line per-frame summary to <paramref name="summary"/> (stderr). Throws <see cref="ArgumentException"/> for
    /// a frame the kind cannot use (e.g. no molecule ids), naming what is missing.
    /// </summary>
    public abstract void Write(Frame frame, CsvWriter csv, TextWriter summary);

    public static IReadOnlyList<DescriptorKind> All { get; } = typeof(DescriptorKind).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(DescriptorKind)) && !t.IsAbstract)
        .Select(t => (DescriptorKind)Activator.CreateInstance(t)!)
        .OrderBy(k => k.Name, StringComparer.Ordinal)
        .ToArray();
}
