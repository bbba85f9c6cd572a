namespace StreamMonitor.Ingest;

public enum ReadStatus
{
    /// <summary>A frame was read.</summary>
    Frame,

    /// <summary>The data ends inside a frame: a growing file's frame still being written, or a truncated file.</summary>
    Incomplete,

    /// <summary>No bytes after the last frame (whitespace aside).</summary>
    End,
}
