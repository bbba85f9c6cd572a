namespace StreamMonitor.Ingest;

public enum FrameParseStatus
{
    /// <summary>A whole frame was parsed.</summary>
    Frame,

    /// <summary>The data ends inside the frame: wait for more bytes (or report a truncated file).</summary>
    Incomplete,
}
