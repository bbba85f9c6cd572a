namespace StreamMonitor.Grains.Storage;

/// <summary>A SQLite grain storage operation failed; the message names the database file and, where known, the grain.</summary>
public sealed class SqliteGrainStorageException : OrleansException
{
    public SqliteGrainStorageException()
    {
    }

    public SqliteGrainStorageException(string message)
        : base(message)
    {
    }

    public SqliteGrainStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
