using Microsoft.Extensions.Logging;

namespace StreamMonitor.Dashboard.Live;

/// <summary>
/// What waits to be sent to one dashboard connection, and the loop that sends it. The loop sends whatever has queued
/// within <see cref="Linger"/> as one message per client method (an array), and waits for each send to be written before
/// the next, so a client that reads slowly only ever has one message in flight. Meanwhile its queue stays bounded: past
/// <see cref="CoalesceAbove"/> waiting messages (and always for messages the client only lists, see
/// <see cref="Enqueue"/>), a newer message with the same coalescing key replaces the waiting one — a run's latest
/// summary wins — while events, status changes and alerts are never dropped. A client whose queue still grows past
/// <see cref="AbandonAbove"/> is disconnected rather than allowed to hold the server's memory.
/// </summary>
public sealed class ClientOutbox : IAsyncDisposable
{
    /// <summary>Waiting messages past which followed runs' summaries are coalesced too.</summary>
    public const int CoalesceAbove = 256;

    /// <summary>Waiting messages at which the client is given up on.</summary>
    public const int AbandonAbove = 20_000;

    /// <summary>Messages per send at most (the rest go in the next).</summary>
    public const int MaxBatch = 512;

    /// <summary>
    /// How long the loop lets messages gather after the first before it sends: when many runs report at once, a
    /// connection gets one message of many updates instead of many messages of one. Measured with 50 clients and 20
    /// live runs (bench/run.sh dashboard-fanout), sending at once cost the server about 10 % more CPU per frame, 100 ms
    /// about 1 %; a page updating ten times a second is as live as a person can watch.
    /// </summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(100);

    private readonly LinkedList<LiveMessage> _waiting = new();
    private readonly Dictionary<string, LinkedListNode<LiveMessage>> _byKey = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _closing = new();
    private readonly Func<string, object[], CancellationToken, Task> _send;
    private readonly Action _abandon;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private long _coalesced;

    /// <param name="send">Sends one method's messages as one array (the hub context's <c>SendAsync</c> to this connection).</param>
    /// <param name="abandon">Disconnects the client (its queue grew past <see cref="AbandonAbove"/>).</param>
    public ClientOutbox(string connectionId, Func<string, object[], CancellationToken, Task> send, Action abandon, ILogger logger)
    {
        ConnectionId = connectionId;
        _send = send;
        _abandon = abandon;
        _logger = logger;
        _loop = Task.Run(SendLoopAsync);
    }

    public string ConnectionId { get; }

    /// <summary>Messages waiting now.</summary>
    public int Waiting
    {
        get
        {
            lock (_waiting) return _waiting.Count;
        }
    }

    /// <summary>Messages replaced by a newer one before they were sent.</summary>
    public long Coalesced => Interlocked.Read(ref _coalesced);

    /// <summary>Queues a message; <paramref name="alwaysCoalesce"/> lets its key replace a waiting one however short the queue.</summary>
    public void Enqueue(LiveMessage message, bool alwaysCoalesce = false)
    {
        bool abandon;
        lock (_waiting)
        {
            if (message.CoalesceKey is { } key && (alwaysCoalesce || _waiting.Count >= CoalesceAbove) && _byKey.Remove(key, out var older))
            {
                // Removed and appended, not replaced in place: the client sees each run's updates in sequence order.
                _waiting.Remove(older);
                _coalesced++;
            }
            var node = _waiting.AddLast(message);
            if (message.CoalesceKey is { } newKey) _byKey[newKey] = node;
            abandon = _waiting.Count > AbandonAbove;
        }
        if (abandon)
        {
            _logger.LogWarning("dashboard connection {Connection}: more than {Limit} messages wait to be sent; disconnecting it", ConnectionId, AbandonAbove);
            _abandon();
            return;
        }
        _signal.Release();
    }

    private async Task SendLoopAsync()
    {
        var token = _closing.Token;
        try
        {
            while (true)
            {
                await _signal.WaitAsync(token).ConfigureAwait(false);
                await Task.Delay(Linger, token).ConfigureAwait(false);
                foreach (var (method, payloads) in Take())
                    await _send(method, payloads, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "dashboard connection {Connection}: sending failed; disconnecting it", ConnectionId);
            _abandon();
        }
    }

    /// <summary>Up to <see cref="MaxBatch"/> waiting messages, in order, grouped into runs of the same method.</summary>
    private List<(string Method, object[] Payloads)> Take()
    {
        var groups = new List<(string, object[])>();
        lock (_waiting)
        {
            var batch = new List<object>();
            string? method = null;
            for (int n = 0; n < MaxBatch && _waiting.First is { } first; n++)
            {
                var message = first.Value;
                _waiting.RemoveFirst();
                if (message.CoalesceKey is { } key && _byKey.TryGetValue(key, out var node) && node == first) _byKey.Remove(key);
                if (method is not null && method != message.Method)
                {
                    groups.Add((method, batch.ToArray()));
                    batch.Clear();
                }
                method = message.Method;
                batch.Add(message.Payload);
            }
            if (method is not null) groups.Add((method, batch.ToArray()));
            // Whatever is left is sent next: make sure the loop comes back for it.
            if (_waiting.Count > 0 && _signal.CurrentCount == 0) _signal.Release();
        }
        return groups;
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _closing.Dispose();
        _signal.Dispose();
    }
}
