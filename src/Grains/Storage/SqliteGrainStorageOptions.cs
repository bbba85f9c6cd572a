using Orleans.Storage;

namespace StreamMonitor.Grains.Storage;

/// <summary>Options for <see cref="SqliteGrainStorage"/>: where the SQLite file lives and how long to wait on a locked database.</summary>
public sealed class SqliteGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>Default wait on a locked database before a write fails.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Path of the SQLite database file (created, with its folder, on first use). Relative paths resolve against the
    /// current directory. Required.
    /// </summary>
    public string Path { get; set; } = "";

    /// <summary>How long a statement waits for another writer's lock (SQLite busy timeout). Must be positive.</summary>
    public TimeSpan BusyTimeout { get; set; } = DefaultBusyTimeout;

    /// <summary>
    /// Serializer for the state payload. Left null, it is filled in after configuration with the serializer registered under
    /// the provider's name, else the silo's default <see cref="IGrainStorageSerializer"/> (Orleans' JSON one).
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;

    /// <summary>Throws <see cref="OrleansConfigurationException"/> naming the provider when the options cannot work.</summary>
    public void Validate(string providerName)
    {
        string prefix = $"Invalid configuration for SQLite grain storage '{providerName}': {nameof(SqliteGrainStorageOptions)}.";
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new OrleansConfigurationException($"{prefix}{nameof(Path)} is required (the SQLite database file).");
        }

        if (Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0 || Path.Contains('\0'))
        {
            throw new OrleansConfigurationException($"{prefix}{nameof(Path)} '{Path}' contains invalid characters.");
        }

        if (Path.Trim() == ":memory:" || Path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw new OrleansConfigurationException(
                $"{prefix}{nameof(Path)} must be a file path, not '{Path}' (in-memory or URI databases are not supported).");
        }

        if (Directory.Exists(Path))
        {
            throw new OrleansConfigurationException($"{prefix}{nameof(Path)} '{Path}' is a directory, not a database file.");
        }

        if (BusyTimeout <= TimeSpan.Zero)
        {
            throw new OrleansConfigurationException($"{prefix}{nameof(BusyTimeout)} must be positive, not {BusyTimeout}.");
        }
    }
}

/// <summary>Runs <see cref="SqliteGrainStorageOptions.Validate"/> when the silo starts.</summary>
internal sealed class SqliteGrainStorageOptionsValidator(SqliteGrainStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration() => options.Validate(name);
}
