using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace StreamMonitor.Bench;

/// <summary>
/// A dashboard client that stops reading: it negotiates with the runs hub, opens the WebSocket over a socket with a
/// small receive buffer, completes the SignalR handshake, watches the runs list and follows runs, and from then on never
/// reads another byte. It keeps sending pings, as a live but stuck page would, so the server does not time it out:
/// what piles up is the server's to bound.
/// </summary>
public sealed class StalledHubConnection : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private const int ReceiveBufferBytes = 4096;
    private static readonly TimeSpan PingPeriod = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _pings;

    private StalledHubConnection(string connectionId, ClientWebSocket socket)
    {
        ConnectionId = connectionId;
        _socket = socket;
        _pings = PingAsync();
    }

    /// <summary>The server's id of this connection (the hub's <c>Context.ConnectionId</c>).</summary>
    public string ConnectionId { get; }

    /// <param name="hubUrl">http://host:port/hubs/runs</param>
    public static async Task<StalledHubConnection> ConnectAsync(string hubUrl, IEnumerable<string> follow)
    {
        string connectionId, token;
        using (var http = new HttpClient())
        {
            using var answer = await http.PostAsync($"{hubUrl}/negotiate?negotiateVersion=1", content: null);
            answer.EnsureSuccessStatusCode();
            using var negotiated = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            connectionId = negotiated.RootElement.GetProperty("connectionId").GetString()!;
            token = negotiated.RootElement.GetProperty("connectionToken").GetString()!;
        }
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancel) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = ReceiveBufferBytes };
                await socket.ConnectAsync(context.DnsEndPoint, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var ws = new ClientWebSocket();
        ws.Options.SetBuffer(ReceiveBufferBytes, ReceiveBufferBytes);
        await ws.ConnectAsync(new Uri($"ws{hubUrl["http".Length..]}?id={Uri.EscapeDataString(token)}"), new HttpMessageInvoker(handler), CancellationToken.None);
        await SendAsync(ws, """{"protocol":"json","version":1}""");
        // The handshake's answer is the one thing this client reads.
        var buffer = new byte[1024];
        var handshake = await ws.ReceiveAsync(buffer, CancellationToken.None);
        string answerText = Encoding.UTF8.GetString(buffer, 0, handshake.Count);
        if (answerText.TrimEnd(RecordSeparator) != "{}") throw new BenchException($"the hub refused the handshake: {answerText}");
        await SendAsync(ws, """{"type":1,"target":"WatchRuns","arguments":[]}""");
        foreach (var run in follow)
            await SendAsync(ws, $$"""{"type":1,"target":"Follow","arguments":[{{JsonSerializer.Serialize(run)}}]}""");
        return new StalledHubConnection(connectionId, ws);
    }

    private static Task SendAsync(ClientWebSocket ws, string message) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private async Task PingAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(PingPeriod, _closing.Token);
                await SendAsync(_socket, """{"type":6}""");
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        await _pings;
        // No close handshake: that would need the client to read the server's answer, behind everything queued.
        _socket.Abort();
        _socket.Dispose();
        _closing.Dispose();
    }
}
