namespace StreamMonitor.Ingest;

/// <summary>Where the frame a parser is looking at starts: used for error messages and frame metadata.</summary>
/// <param name="Path">File being read.</param>
/// <param name="FrameIndex">0-based index of the frame in the file.</param>
/// <param name="ByteOffset">Offset of the frame's first byte in the (decompressed) file.</param>
/// <param name="Line">1-based line number of the frame's first line for text formats; 0 when unknown (binary, or after a seek).</param>
public readonly record struct FrameLocation(string Path, long FrameIndex, long ByteOffset, long Line);
