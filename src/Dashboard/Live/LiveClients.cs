using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Alerts;

namespace StreamMonitor.Dashboard.Live;

/// <summary>The dashboard connections of this server, by connection id: where <see cref="LiveFeed"/> hands each update.</summary>
public sealed class LiveClients(IHubContext<RunsHub> hub, ILogger<LiveClients> logger)
{
    private readonly ConcurrentDictionary<string, LiveClient> _clients = new(StringComparer.Ordinal);

    public int Count => _clients.Count;

    public LiveClient Connect(HubCallerContext context)
    {
        var proxy = hub.Clients.Client(context.ConnectionId);
        var outbox = new ClientOutbox(context.ConnectionId,
            (method, payloads, token) => proxy.SendAsync(method, payloads, token),
            context.Abort, logger);
        var client = new LiveClient(outbox);
        _clients[context.ConnectionId] = client;
        return client;
    }

    public LiveClient? Find(string connectionId) => _clients.GetValueOrDefault(connectionId);

    public async Task DisconnectAsync(string connectionId)
    {
        if (_clients.TryRemove(connectionId, out var client)) await client.DisposeAsync();
    }

    public void Offer(RunUpdate update)
    {
        if (_clients.IsEmpty) return;
        // Serialised once here, not once per connection: each connection then copies the same JSON.
        var payload = JsonSerializer.SerializeToElement(update, ContractJson.Options);
        foreach (var client in _clients.Values) client.Offer(update, payload);
    }

    public void OfferAlert(Alert alert)
    {
        if (_clients.IsEmpty) return;
        var payload = JsonSerializer.SerializeToElement(alert, ContractJson.Options);
        foreach (var client in _clients.Values) client.OfferAlert(payload);
    }

    /// <summary>Messages waiting over all connections (a health measure).</summary>
    public int Waiting => _clients.Values.Sum(c => c.Outbox.Waiting);
}
