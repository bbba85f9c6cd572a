namespace StreamMonitor.Ingest;

/// <summary>
/// Turns the bytes of one frame into a <see cref="StreamMonitor.Core.Frame"/>. One parser serves one file and
/// may keep state across frames (a cached column layout, a species table). The reader hands it the buffered
/// bytes starting at a frame boundary; a parser never blocks and never reads the file itself, which is what
/// lets one tailing engine serve every format.
/// </summary>
public abstract class FrameParser
{
    /// <summary>
    /// Parses the frame at the start of <paramref name="data"/>. Returns <see cref="FrameParseStatus.Incomplete"/>
    /// when the data ends inside the frame, and throws <see cref="TrajectoryFormatException"/> for malformed data.
    /// </summary>
    public abstract FrameParseResult TryParse(ReadOnlySpan<byte> data, in FrameLocation location);
}
