using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace StreamMonitor.Metrics;

/// <summary>
/// InfluxDB 1.x: <c>POST /write?db=&amp;rp=&amp;precision=ns</c>, gzip body, user and password as HTTP Basic. A
/// "database not found" (404) creates the database with <c>CREATE DATABASE</c> through <c>/query</c> when the options
/// allow it, and writes again.
/// </summary>
public sealed class InfluxV1Transport : IInfluxTransport
{
    private readonly InfluxOptions _options;
    private readonly HttpClient _http;
    private readonly Uri _write;

    public InfluxV1Transport(InfluxOptions options)
    {
        _options = options;
        _http = new HttpClient { BaseAddress = options.Url, Timeout = options.Timeout };
        if (options.User is not null)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.User}:{options.Password}"));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }
        var query = $"write?db={Uri.EscapeDataString(options.Database!)}&precision=ns";
        if (options.RetentionPolicy is not null) query += $"&rp={Uri.EscapeDataString(options.RetentionPolicy)}";
        _write = new Uri(query, UriKind.Relative);
    }

    public async Task<InfluxWriteResult> WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        var result = await PostAsync(_write, Gzip(lines), cancellationToken).ConfigureAwait(false);
        if (result.Status == (int)HttpStatusCode.NotFound && _options.CreateDatabase && result.Error?.Contains("database not found", StringComparison.Ordinal) == true)
        {
            var created = await CreateDatabaseAsync(cancellationToken).ConfigureAwait(false);
            if (created.Outcome != InfluxWriteOutcome.Written) return created;
            result = await PostAsync(_write, Gzip(lines), cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    private Task<InfluxWriteResult> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var statement = $"CREATE DATABASE \"{_options.Database!.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";
        var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("q", statement)]);
        return PostAsync(new Uri("query", UriKind.Relative), form, cancellationToken);
    }

    private async Task<InfluxWriteResult> PostAsync(Uri path, HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.PostAsync(path, content, cancellationToken).ConfigureAwait(false);
            string? error = response.IsSuccessStatusCode ? null : (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
            return InfluxWriteResult.FromStatus((int)response.StatusCode, error, InfluxWriteResult.RetryAfterOf(response.Headers.RetryAfter));
        }
        catch (HttpRequestException e)
        {
            return InfluxWriteResult.Unreachable(e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return InfluxWriteResult.Unreachable($"no answer within {_options.Timeout.TotalSeconds:0.###} s");
        }
        finally
        {
            content.Dispose();
        }
    }

    private static ByteArrayContent Gzip(ReadOnlyMemory<byte> lines)
    {
        var compressed = new MemoryStream(lines.Length / 4 + 64);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(lines.Span);
        var content = new ByteArrayContent(compressed.GetBuffer(), 0, (int)compressed.Length);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    public void Dispose() => _http.Dispose();
}
