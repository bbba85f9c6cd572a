namespace StreamMonitor.Ingest;

/// <summary>What happened to a file under a reader since it was opened.</summary>
public enum FileChange
{
    None,

    /// <summary>The file shrank below what was read, or its first bytes changed: the run was restarted in place.</summary>
    Truncated,

    /// <summary>The path now names another file (new inode): the file was replaced.</summary>
    Replaced,

    /// <summary>The path no longer exists.</summary>
    Missing,
}
