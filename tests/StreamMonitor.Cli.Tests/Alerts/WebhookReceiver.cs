using StreamMonitor.Core;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using StreamMonitor.Monitoring.Alerts;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Alerts;

/// <summary>
/// A webhook receiver on 127.0.0.1, as a site would run one: it checks each post's signature, answers the first
/// <c>failFirst</c> posts with 500, and keeps the payloads it accepted by alert id.
/// </summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _secret;
    private int _failuresLeft;
    private int _requests;
    private int _badSignatures;

    public WebhookReceiver(string secret, int failFirst = 0)
    {
        _secret = secret;
        _failuresLeft = failFirst;
        Url = new Uri($"http://127.0.0.1:{LoopbackPorts.Next()}/hook/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public int Requests => _requests;

    /// <summary>Accepts every post from now on, however many failures were left.</summary>
    public void AcceptAll() => Volatile.Write(ref _failuresLeft, 0);

    public int BadSignatures => _badSignatures;

    /// <summary>Accepted payloads by alert id, each with how many times it was accepted.</summary>
    public ConcurrentDictionary<string, (JsonNode Payload, int Times)> Accepted { get; } = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _requests);
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            string body = await reader.ReadToEndAsync();
            bool signed = long.TryParse(context.Request.Headers[WebhookSignature.TimestampHeader], out long timestamp)
                && WebhookSignature.Verify(_secret, timestamp, body, context.Request.Headers[WebhookSignature.SignatureHeader]);
            if (!signed) Interlocked.Increment(ref _badSignatures);
            int status = !signed ? 401 : Interlocked.Decrement(ref _failuresLeft) >= 0 ? 500 : 200;
            if (status == 200)
            {
                var payload = JsonNode.Parse(body)!;
                Accepted.AddOrUpdate(payload["id"]!.GetValue<string>(), (payload, 1), (_, seen) => (seen.Payload, seen.Times + 1));
            }
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
