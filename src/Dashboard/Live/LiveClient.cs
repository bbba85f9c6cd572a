using StreamMonitor.Monitoring;

namespace StreamMonitor.Dashboard.Live;

/// <summary>
/// One dashboard connection: which runs it follows (every update, for a run's page and the comparison chart) and whether
/// it watches the runs list (each run's latest summary, its events and status changes), and its <see cref="ClientOutbox"/>.
/// </summary>
public sealed class LiveClient(ClientOutbox outbox) : IAsyncDisposable
{
    /// <summary>Runs one connection may follow at once.</summary>
    public const int MaxFollowed = 64;

    /// <summary>The client method that receives run updates (an array of <see cref="RunUpdate"/>).</summary>
    public const string UpdatesMethod = "updates";

    /// <summary>The client method that receives alerts (an array).</summary>
    public const string AlertsMethod = "alerts";

    private readonly HashSet<string> _followed = new(StringComparer.Ordinal);
    private volatile bool _watchesList;

    public ClientOutbox Outbox { get; } = outbox;

    public bool WatchesList
    {
        get => _watchesList;
        set => _watchesList = value;
    }

    /// <summary>Follows a run; false when the connection already follows <see cref="MaxFollowed"/> others.</summary>
    public bool Follow(string runId)
    {
        lock (_followed)
        {
            if (_followed.Count >= MaxFollowed && !_followed.Contains(runId)) return false;
            _followed.Add(runId);
            return true;
        }
    }

    public void Unfollow(string runId)
    {
        lock (_followed) _followed.Remove(runId);
    }

    public bool Follows(string runId)
    {
        lock (_followed) return _followed.Contains(runId);
    }

    /// <summary>Queues an update if this connection wants it; <paramref name="payload"/> is what is sent (by default the update itself).</summary>
    public void Offer(RunUpdate update, object? payload = null)
    {
        bool followed = Follows(update.RunId);
        if (!followed && !WatchesList) return;
        string? key = update.Summary is not null ? update.RunId : null;
        // The list shows each run's latest summary only; a followed run gets every one unless the client falls behind.
        Outbox.Enqueue(new LiveMessage(UpdatesMethod, payload ?? update, key), alwaysCoalesce: !followed);
    }

    /// <summary>Queues an alert (or its JSON): every connection gets every alert.</summary>
    public void OfferAlert(object alert) => Outbox.Enqueue(new LiveMessage(AlertsMethod, alert));

    public ValueTask DisposeAsync() => Outbox.DisposeAsync();
}
