using System.Text;

namespace StreamMonitor.Ingest;

/// <summary>
/// Bad or unreadable trajectory data. The message names the file, the frame index and the byte offset (and the
/// line for text formats), so it can be shown to a user as it is.
/// </summary>
public sealed class TrajectoryFormatException : Exception
{
    public TrajectoryFormatException(string path, long? frameIndex, long? byteOffset, long? line, string detail, Exception? inner = null)
        : base(Compose(path, frameIndex, byteOffset, line, detail), inner)
    {
        Path = path;
        FrameIndex = frameIndex;
        ByteOffset = byteOffset;
        Line = line;
        Detail = detail;
    }

    public string Path { get; }
    public long? FrameIndex { get; }
    public long? ByteOffset { get; }
    public long? Line { get; }

    /// <summary>The problem itself, without the location.</summary>
    public string Detail { get; }

    internal static TrajectoryFormatException At(in FrameLocation at, string detail, long byteOffsetInFrame = 0, long lineInFrame = -1) =>
        new(at.Path, at.FrameIndex, at.ByteOffset + byteOffsetInFrame,
            at.Line > 0 && lineInFrame >= 0 ? at.Line + lineInFrame : null, detail);

    private static string Compose(string path, long? frame, long? offset, long? line, string detail)
    {
        var sb = new StringBuilder(path);
        if (frame is not null) sb.Append(": frame ").Append(frame);
        if (offset is not null) sb.Append(frame is null ? ": " : ", ").Append("byte ").Append(offset);
        if (line is not null) sb.Append(", line ").Append(line);
        return sb.Append(": ").Append(detail).ToString();
    }
}
