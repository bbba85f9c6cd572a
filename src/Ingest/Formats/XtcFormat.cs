using System.Buffers.Binary;

namespace StreamMonitor.Ingest.Formats;

/// <summary>GROMACS compressed trajectories (<c>.xtc</c>), both the classic (magic 1995) and the large-system (magic 2023) layout.</summary>
public sealed class XtcFormat : TrajectoryFormat
{
    public override string Name => "xtc";

    public override IReadOnlyList<string> Extensions { get; } = [".xtc"];

    public override bool IsText => false;

    /// <summary>An XTC file starts with the magic number 1995 or 2023 and a non-negative atom count (XDR, big-endian).</summary>
    public override bool Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length < 8) return false;
        int magic = BinaryPrimitives.ReadInt32BigEndian(head);
        return (magic == XtcParser.Magic || magic == XtcParser.NewMagic) && BinaryPrimitives.ReadInt32BigEndian(head[4..]) >= 0;
    }

    public override FrameParser CreateParser() => new XtcParser();
}
