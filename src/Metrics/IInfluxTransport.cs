namespace StreamMonitor.Metrics;

/// <summary>Sends one body of line protocol (nanosecond timestamps) to InfluxDB, once; retrying is the caller's.</summary>
public interface IInfluxTransport : IDisposable
{
    /// <summary>Never throws for a failed request: its outcome says what happened. Throws only when <paramref name="cancellationToken"/> is cancelled.</summary>
    Task<InfluxWriteResult> WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken);

    public static IInfluxTransport For(InfluxOptions options) =>
        options.IsV2 ? new InfluxV2Transport(options) : new InfluxV1Transport(options);
}
