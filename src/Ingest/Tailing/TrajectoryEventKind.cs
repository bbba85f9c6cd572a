namespace StreamMonitor.Ingest.Tailing;

public enum TrajectoryEventKind
{
    /// <summary>The file shrank or was rewritten in place (the run restarted); reading starts over at frame 0.</summary>
    Truncated,

    /// <summary>The path names a new file (new inode); reading starts over at frame 0.</summary>
    Replaced,

    /// <summary>The file disappeared; the tailer waits for it to come back.</summary>
    Missing,

    /// <summary>A resume checkpoint did not match the file (another file, or shorter than the checkpoint); read from the start.</summary>
    CheckpointMismatch,

    /// <summary>
    /// Part of a file series could not be read (a file vanished, or a finished file ends in a partial frame) and reading
    /// went on with the next file; frame indices run on.
    /// </summary>
    Skipped,
}
