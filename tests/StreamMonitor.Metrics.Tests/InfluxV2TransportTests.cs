using StreamMonitor.Core;
using System.IO.Compression;
using System.Net;
using System.Text;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Metrics.Tests;

/// <summary>
/// The 2.x path has no real server here (Debian's InfluxDB is 1.6): these tests point the writer at a loopback
/// listener that checks the request InfluxDB.Client makes (path, org, bucket, precision, token, body) and answers as
/// InfluxDB 2.x would.
/// </summary>
[Trait("Category", "Slow")]
public class InfluxV2TransportTests
{
    [Fact]
    public async Task Batches_go_to_api_v2_write_with_the_token_and_a_429_is_retried_after_its_Retry_After()
    {
        int port = LoopbackPorts.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var requests = new List<(string Path, string? Org, string? Bucket, string? Precision, string? Authorization, string Body, DateTime At)>();
        var serving = Task.Run(async () =>
        {
            for (int i = 0; i < 2; i++)
            {
                var context = await listener.GetContextAsync();
                var request = context.Request;
                Stream body = request.Headers["Content-Encoding"] == "gzip" ? new GZipStream(request.InputStream, CompressionMode.Decompress) : request.InputStream;
                using var reader = new StreamReader(body, Encoding.UTF8);
                requests.Add((request.Url!.AbsolutePath, request.QueryString["org"], request.QueryString["bucket"], request.QueryString["precision"],
                    request.Headers["Authorization"], await reader.ReadToEndAsync(), DateTime.UtcNow));
                if (i == 0)
                {
                    context.Response.StatusCode = 429;
                    context.Response.Headers["Retry-After"] = "1";
                }
                else
                {
                    context.Response.StatusCode = 204;
                }
                context.Response.Close();
            }
        });

        using var temp = new TempDirectory();
        var options = new InfluxOptions
        {
            Url = new Uri($"http://127.0.0.1:{port}"),
            Org = "lab",
            Bucket = "md runs",
            Token = "secret-token",
            SpillDirectory = temp.Path,
            FlushInterval = TimeSpan.FromMilliseconds(50),
        };
        await using (var writer = new InfluxWriter(options))
        {
            writer.Enqueue(Updates.Summary("run-2", 1));
            writer.Enqueue(Updates.Status("run-2", 2, Monitoring.RunState.Finished));
            await writer.FlushAsync();
            Assert.Equal(2, writer.Stats.Written);
            Assert.Equal(1, writer.Stats.Retried);
        }
        await serving;

        Assert.Equal(2, requests.Count);
        foreach (var r in requests)
        {
            Assert.Equal(("/api/v2/write", "lab", "md runs", "ns", "Token secret-token"), (r.Path, r.Org, r.Bucket, r.Precision, r.Authorization));
            using var expected = new LineProtocolWriter();
            RunUpdatePoints.Write(Updates.Summary("run-2", 1), null, expected);
            RunUpdatePoints.Write(Updates.Status("run-2", 2, Monitoring.RunState.Finished), null, expected);
            Assert.Equal(expected.ToString().TrimEnd('\n'), r.Body.TrimEnd('\n'));
        }
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(0.9), $"retried after {requests[1].At - requests[0].At}, not the 1 s asked");
    }
}
