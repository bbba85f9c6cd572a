namespace StreamMonitor.Ingest;

/// <summary>
/// A trajectory file format: its name (as given to <c>--format</c>), how to recognise it, and its parser.
/// Add a format by subclassing this and listing it in <see cref="TrajectoryFormats.All"/>.
/// </summary>
public abstract class TrajectoryFormat
{
    /// <summary>Name used on the command line (e.g. <c>lammps</c>).</summary>
    public abstract string Name { get; }

    /// <summary>File extensions (lower case, with dot) that name this format.</summary>
    public abstract IReadOnlyList<string> Extensions { get; }

    /// <summary>Text formats may end in whitespace after the last frame; binary ones may not.</summary>
    public abstract bool IsText { get; }

    /// <summary>True when the first bytes of a file look like this format.</summary>
    public abstract bool Sniff(ReadOnlySpan<byte> head);

    public abstract FrameParser CreateParser();

    public override string ToString() => Name;
}
