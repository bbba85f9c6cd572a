namespace StreamMonitor.Metrics;

/// <summary>
/// Where and how <see cref="InfluxWriter"/> writes: an InfluxDB 1.x database (<see cref="Database"/>, written through
/// <c>/write</c>) or a 2.x bucket (<see cref="Org"/> + <see cref="Bucket"/> + <see cref="Token"/>, written through
/// <c>/api/v2/write</c>), and the batching, buffering and spill limits.
/// </summary>
public sealed record InfluxOptions
{
    public required Uri Url { get; init; }

    /// <summary>1.x: the database (created on first write when <see cref="CreateDatabase"/>).</summary>
    public string? Database { get; init; }

    /// <summary>1.x: the retention policy; the database's default when null.</summary>
    public string? RetentionPolicy { get; init; }

    /// <summary>1.x: sent as HTTP Basic authentication with <see cref="Password"/>.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    /// <summary>2.x: the organisation of <see cref="Bucket"/>.</summary>
    public string? Org { get; init; }

    /// <summary>2.x: the bucket; setting it selects the 2.x API.</summary>
    public string? Bucket { get; init; }

    /// <summary>2.x: the API token.</summary>
    public string? Token { get; init; }

    /// <summary>Folder for batches InfluxDB could not take in time; replayed oldest first once it is back.</summary>
    public required string SpillDirectory { get; init; }

    /// <summary>Points per write request at most.</summary>
    public int BatchSize { get; init; } = 5000;

    /// <summary>How long a point waits for its batch to fill before the batch is written anyway.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Points held in memory waiting for InfluxDB before newer batches go to the spill folder.</summary>
    public int BufferCapacity { get; init; } = 100_000;

    /// <summary>One write request's time limit; a request that takes longer is retried.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>1.x: on "database not found", create it with <c>CREATE DATABASE</c> and write again.</summary>
    public bool CreateDatabase { get; init; } = true;

    public bool IsV2 => Bucket is not null;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is wrong.</summary>
    public void Validate()
    {
        if (!Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"influx url must be an absolute http or https address, not '{Url}'", nameof(Url));
        bool v1 = Database is not null;
        bool v2 = Org is not null || Bucket is not null;
        if (v1 == v2)
            throw new ArgumentException("influx needs exactly one target: database (InfluxDB 1.x) or org and bucket (InfluxDB 2.x)");
        if (v1)
        {
            if (string.IsNullOrWhiteSpace(Database)) throw new ArgumentException("influx database must not be empty", nameof(Database));
            if (Token is not null) throw new ArgumentException("influx token is for InfluxDB 2.x (org and bucket); InfluxDB 1.x takes user and password", nameof(Token));
            if ((User is null) != (Password is null)) throw new ArgumentException("influx user and password go together", User is null ? nameof(User) : nameof(Password));
        }
        else
        {
            if (string.IsNullOrWhiteSpace(Org)) throw new ArgumentException("influx org is required with a bucket (InfluxDB 2.x)", nameof(Org));
            if (string.IsNullOrWhiteSpace(Bucket)) throw new ArgumentException("influx bucket is required with an org (InfluxDB 2.x)", nameof(Bucket));
            if (string.IsNullOrWhiteSpace(Token)) throw new ArgumentException("influx token is required for InfluxDB 2.x", nameof(Token));
            if (RetentionPolicy is not null || User is not null || Password is not null)
                throw new ArgumentException("influx retention policy, user and password are for InfluxDB 1.x (database)");
        }
        if (string.IsNullOrWhiteSpace(SpillDirectory)) throw new ArgumentException("influx spill directory is required", nameof(SpillDirectory));
        if (BatchSize < 1) throw new ArgumentException($"influx batch size must be at least 1, not {BatchSize}", nameof(BatchSize));
        if (BufferCapacity < BatchSize)
            throw new ArgumentException($"influx buffer capacity ({BufferCapacity}) must hold at least one batch ({BatchSize})", nameof(BufferCapacity));
        if (FlushInterval <= TimeSpan.Zero) throw new ArgumentException($"influx flush interval must be positive, not {FlushInterval}", nameof(FlushInterval));
        if (Timeout <= TimeSpan.Zero) throw new ArgumentException($"influx timeout must be positive, not {Timeout}", nameof(Timeout));
    }
}
