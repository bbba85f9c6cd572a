namespace StreamMonitor.Ingest.Formats;

/// <summary>Extended XYZ (<c>Lattice="..." Properties=...</c> in the comment line) and plain XYZ.</summary>
public sealed class ExtendedXyzFormat : TrajectoryFormat
{
    public override string Name => "xyz";

    public override IReadOnlyList<string> Extensions { get; } = [".xyz", ".extxyz"];

    public override bool IsText => true;

    /// <summary>The first line is an atom count and nothing else.</summary>
    public override bool Sniff(ReadOnlySpan<byte> head)
    {
        int nl = head.IndexOf((byte)'\n');
        if (nl <= 0) return false;
        var first = head[..nl].Trim(" \t\r"u8);
        if (first.IsEmpty) return false;
        foreach (byte b in first)
            if ((uint)(b - '0') > 9) return false;
        return true;
    }

    public override FrameParser CreateParser() => new ExtendedXyzParser();
}
