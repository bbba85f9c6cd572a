using StreamMonitor.Core;

namespace StreamMonitor.Ingest;

/// <summary>What a <see cref="FrameParser"/> made of the bytes it was given.</summary>
/// <param name="Status">A frame, or more data needed.</param>
/// <param name="Frame">The parsed frame (owned by the caller) when <paramref name="Status"/> is Frame.</param>
/// <param name="BytesConsumed">Bytes of the frame, including its trailing newline.</param>
/// <param name="LinesConsumed">Lines of the frame for text formats, 0 for binary ones.</param>
/// <param name="BytesNeeded">When incomplete and the parser knows it: the frame's total size, so the reader can wait for it.</param>
public readonly record struct FrameParseResult(FrameParseStatus Status, Frame? Frame, int BytesConsumed, long LinesConsumed, long BytesNeeded = 0)
{
    public static FrameParseResult Incomplete(long bytesNeeded = 0) => new(FrameParseStatus.Incomplete, null, 0, 0, bytesNeeded);
}
