using System.Text;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Core.Exceptions;

namespace StreamMonitor.Metrics;

/// <summary>
/// InfluxDB 2.x: InfluxDB.Client's write API (<c>POST /api/v2/write?org=&amp;bucket=&amp;precision=ns</c> with
/// <c>Authorization: Token</c>), one request per batch, its errors turned into outcomes.
/// </summary>
public sealed class InfluxV2Transport : IInfluxTransport
{
    private readonly InfluxOptions _options;
    private readonly InfluxDBClient _client;
    private readonly WriteApiAsync _write;

    public InfluxV2Transport(InfluxOptions options)
    {
        _options = options;
        _client = new InfluxDBClient(new InfluxDBClientOptions(options.Url.ToString())
        {
            Token = options.Token,
            Org = options.Org,
            Bucket = options.Bucket,
            Timeout = options.Timeout,
        });
        _client.EnableGzip();
        _write = _client.GetWriteApiAsync();
    }

    public async Task<InfluxWriteResult> WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        // The client joins records with '\n': the batch's lines go as one record, without the last newline.
        var body = Encoding.UTF8.GetString(lines.Span).TrimEnd('\n');
        try
        {
            await _write.WriteRecordsAsync([body], WritePrecision.Ns, _options.Bucket, _options.Org, cancellationToken).ConfigureAwait(false);
            return InfluxWriteResult.Ok(204);
        }
        catch (HttpException e) when (e.Status > 0)
        {
            TimeSpan? retryAfter = e.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
            return InfluxWriteResult.FromStatus(e.Status, e.Message, retryAfter);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return InfluxWriteResult.Unreachable(e.Message);
        }
    }

    public void Dispose() => _client.Dispose();
}
