using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using StreamMonitor.Dashboard.Security;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Dashboard.Live;

/// <summary>
/// The dashboard's live connection, at <see cref="Path"/>, for viewers and up. A client says what it wants —
/// <see cref="WatchRuns"/> for the runs list, <see cref="Follow"/> for every update of a run — and receives
/// <c>updates</c> (arrays of <see cref="RunUpdate"/>, each run's in sequence order) and <c>alerts</c>. The hub only reads:
/// whatever changes something (a stop, a rule, an acknowledgement) goes through the HTTP API and its roles. A client
/// loads history over HTTP and joins it to what arrives here by sequence number; updates a slow client missed are
/// coalesced away (<see cref="ClientOutbox"/>) and fetched from <c>/api/runs/{id}/updates</c> when it needs them.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class RunsHub(LiveClients clients) : Hub
{
    public const string Path = "/hubs/runs";

    public override Task OnConnectedAsync()
    {
        clients.Connect(Context);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception) => clients.DisconnectAsync(Context.ConnectionId);

    /// <summary>Starts sending the latest summary, the events and the status changes of every run.</summary>
    public void WatchRuns() => Client().WatchesList = true;

    public void UnwatchRuns() => Client().WatchesList = false;

    /// <summary>Starts sending every update of a run.</summary>
    public void Follow(string runId)
    {
        if (!RunIds.IsValid(runId)) throw new HubException($"'{runId}' is not a run id");
        if (!Client().Follow(runId)) throw new HubException($"a connection follows at most {LiveClient.MaxFollowed} runs at once");
    }

    public void Unfollow(string runId) => Client().Unfollow(runId);

    private LiveClient Client() => clients.Find(Context.ConnectionId) ?? throw new HubException("this connection has closed");
}
