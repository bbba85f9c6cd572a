using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace StreamMonitor.Grains.Storage;

/// <summary>
/// Grain storage in one local SQLite file, for the embedded single-silo default. One table,
/// <c>GrainState(StateName, GrainId, ETag, Payload, ModifiedUtc)</c>, created on first use; WAL journal and a busy
/// timeout let the silo's concurrent activations write at once. Writes and clears are optimistic: a stale
/// <see cref="IGrainState{T}.ETag"/> throws <see cref="InconsistentStateException"/>. The payload is whatever the
/// configured <see cref="IGrainStorageSerializer"/> produces (by default Orleans' JSON), stored as a BLOB.
/// </summary>
public sealed partial class SqliteGrainStorage : IGrainStorage, IDisposable
{
    /// <summary>Name of the table that holds grain state.</summary>
    public const string TableName = "GrainState";

    private readonly string _name;
    private readonly string _path;
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activatorProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private volatile bool _initialized;

    public SqliteGrainStorage(
        string name,
        SqliteGrainStorageOptions options,
        IGrainStorageSerializer grainStorageSerializer,
        IActivatorProvider activatorProvider,
        ILogger<SqliteGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(name);
        _name = name;
        _path = System.IO.Path.GetFullPath(options.Path);
        _busyTimeoutMs = (int)Math.Clamp(options.BusyTimeout.TotalMilliseconds, 1, int.MaxValue);
        _serializer = options.GrainStorageSerializer ?? grainStorageSerializer ?? throw new ArgumentNullException(nameof(grainStorageSerializer));
        _activatorProvider = activatorProvider ?? throw new ArgumentNullException(nameof(activatorProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
    }

    /// <summary>Provider name this instance was registered under.</summary>
    public string Name => _name;

    /// <summary>Full path of the SQLite database file.</summary>
    public string DatabasePath => _path;

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        byte[]? payload = null;
        string? etag = null;
        try
        {
            await using var connection = await OpenAsync().ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT ETag, Payload FROM {TableName} WHERE StateName = $state AND GrainId = $grain";
            AddKey(command, stateName, grainId);
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            if (await reader.ReadAsync().ConfigureAwait(false))
            {
                etag = reader.GetString(0);
                payload = (byte[])reader.GetValue(1);
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw Failure("read", stateName, grainId, ex);
        }

        if (payload is null)
        {
            grainState.State = CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        T? state;
        try
        {
            state = _serializer.Deserialize<T>(new BinaryData(payload));
        }
        catch (Exception ex)
        {
            throw Failure("deserialize", stateName, grainId, ex);
        }

        grainState.State = state ?? CreateInstance<T>();
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        byte[] payload = _serializer.Serialize(grainState.State).ToArray();
        string newETag = Guid.NewGuid().ToString("N");
        string? expected = grainState.ETag;
        try
        {
            await using var connection = await OpenAsync().ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = expected is null
                ? $"""
                   INSERT INTO {TableName} (StateName, GrainId, ETag, Payload, ModifiedUtc)
                   VALUES ($state, $grain, $newEtag, $payload, $modified)
                   ON CONFLICT (StateName, GrainId) DO NOTHING
                   """
                : $"""
                   UPDATE {TableName} SET ETag = $newEtag, Payload = $payload, ModifiedUtc = $modified
                   WHERE StateName = $state AND GrainId = $grain AND ETag = $etag
                   """;
            AddKey(command, stateName, grainId);
            command.Parameters.AddWithValue("$newEtag", newETag);
            command.Parameters.Add("$payload", SqliteType.Blob).Value = payload;
            command.Parameters.AddWithValue("$modified", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            if (expected is not null)
            {
                command.Parameters.AddWithValue("$etag", expected);
            }

            if (await command.ExecuteNonQueryAsync().ConfigureAwait(false) != 1)
            {
                string? stored = await ReadETagAsync(connection, stateName, grainId).ConfigureAwait(false);
                throw Conflict("write", stateName, grainId, stored, expected);
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw Failure("write", stateName, grainId, ex);
        }

        grainState.ETag = newETag;
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string? expected = grainState.ETag;
        try
        {
            await using var connection = await OpenAsync().ConfigureAwait(false);
            if (expected is null)
            {
                // Nothing was read or written: clearing is fine only if there is still nothing stored.
                string? stored = await ReadETagAsync(connection, stateName, grainId).ConfigureAwait(false);
                if (stored is not null)
                {
                    throw Conflict("clear", stateName, grainId, stored, expected);
                }
            }
            else
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"DELETE FROM {TableName} WHERE StateName = $state AND GrainId = $grain AND ETag = $etag";
                AddKey(command, stateName, grainId);
                command.Parameters.AddWithValue("$etag", expected);
                if (await command.ExecuteNonQueryAsync().ConfigureAwait(false) != 1)
                {
                    string? stored = await ReadETagAsync(connection, stateName, grainId).ConfigureAwait(false);
                    throw Conflict("clear", stateName, grainId, stored, expected);
                }
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw Failure("clear", stateName, grainId, ex);
        }

        grainState.State = CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>Releases pooled connections to the database file.</summary>
    public void Dispose()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _initLock.Dispose();
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        if (!_initialized)
        {
            await InitializeAsync().ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMs.ToString(CultureInfo.InvariantCulture)};";
            await pragma.ExecuteNonQueryAsync().ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task InitializeAsync()
    {
        await _initLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            try
            {
                string? folder = System.IO.Path.GetDirectoryName(_path);
                if (!string.IsNullOrEmpty(folder))
                {
                    Directory.CreateDirectory(folder);
                }

                await using var connection = new SqliteConnection(_connectionString);
                await connection.OpenAsync().ConfigureAwait(false);
                await using var command = connection.CreateCommand();
                command.CommandText =
                    $"""
                     PRAGMA busy_timeout = {_busyTimeoutMs.ToString(CultureInfo.InvariantCulture)};
                     PRAGMA journal_mode = WAL;
                     CREATE TABLE IF NOT EXISTS {TableName} (
                         StateName   TEXT NOT NULL,
                         GrainId     TEXT NOT NULL,
                         ETag        TEXT NOT NULL,
                         Payload     BLOB NOT NULL,
                         ModifiedUtc TEXT NOT NULL,
                         PRIMARY KEY (StateName, GrainId)
                     ) WITHOUT ROWID;
                     """;
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
            {
                LogInitFailed(ex, _name, _path);
                throw new SqliteGrainStorageException(
                    $"SQLite grain storage '{_name}' could not open or initialise the database file '{_path}': {Describe(ex)}", ex);
            }

            _initialized = true;
            LogInitialized(_name, _path);
        }
        finally
        {
            _initLock.Release();
        }
    }

    private static async Task<string?> ReadETagAsync(SqliteConnection connection, string stateName, GrainId grainId)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT ETag FROM {TableName} WHERE StateName = $state AND GrainId = $grain";
        AddKey(command, stateName, grainId);
        return await command.ExecuteScalarAsync().ConfigureAwait(false) as string;
    }

    private static void AddKey(SqliteCommand command, string stateName, GrainId grainId)
    {
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId.ToString());
    }

    private T CreateInstance<T>() => _activatorProvider.GetActivator<T>().Create();

    private InconsistentStateException Conflict(string operation, string stateName, GrainId grainId, string? stored, string? expected) =>
        new(
            $"Version conflict on {operation} in SQLite grain storage '{_name}' ('{_path}'): state '{stateName}' of grain {grainId} " +
            $"has ETag {stored ?? "<none>"}, the caller expected {expected ?? "<none>"}.",
            stored,
            expected);

    private SqliteGrainStorageException Failure(string operation, string stateName, GrainId grainId, Exception ex)
    {
        if (ex is SqliteGrainStorageException already)
        {
            return already;
        }

        LogOperationFailed(ex, operation, stateName, grainId, _name, _path);
        return new SqliteGrainStorageException(
            $"SQLite grain storage '{_name}' failed to {operation} state '{stateName}' of grain {grainId} in database file '{_path}': {Describe(ex)}",
            ex);
    }

    private static string Describe(Exception ex) => ex is SqliteException sqlite
        ? $"{sqlite.Message} (SQLite error {sqlite.SqliteErrorCode.ToString(CultureInfo.InvariantCulture)})"
        : ex.Message;

    [LoggerMessage(Level = LogLevel.Debug, Message = "SQLite grain storage {Name} ready at {Path}")]
    private partial void LogInitialized(string name, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "SQLite grain storage {Name} could not initialise {Path}")]
    private partial void LogInitFailed(Exception exception, string name, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "SQLite grain storage failed to {Operation} state {StateName} of grain {GrainId} (provider {Name}, file {Path})")]
    private partial void LogOperationFailed(Exception exception, string operation, string stateName, GrainId grainId, string name, string path);
}
