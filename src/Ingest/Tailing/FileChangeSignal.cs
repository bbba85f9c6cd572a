namespace StreamMonitor.Ingest.Tailing;

/// <summary>
/// Wakes a waiting tailer when the file changes (inotify, through the directory's shared watcher in
/// <see cref="FileWatcherPool"/>) or when the poll interval passes, whichever comes first. Where events are
/// unavailable (the pool's cap reached, inotify limits, network file systems that never deliver them) it silently
/// degrades to polling.
/// </summary>
internal sealed class FileChangeSignal : IDisposable
{
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly IDisposable? _subscription;
    private readonly TimeSpan _pollInterval;

    public FileChangeSignal(string path, TimeSpan pollInterval, bool useEvents)
        : this(path, pollInterval, useEvents ? FileWatcherPool.Shared : null)
    {
    }

    /// <param name="watchers">Where to subscribe for events; null polls only.</param>
    internal FileChangeSignal(string path, TimeSpan pollInterval, FileWatcherPool? watchers)
    {
        _pollInterval = pollInterval;
        _subscription = watchers?.Subscribe(path, Set);
    }

    /// <summary>False when only polling is in effect.</summary>
    public bool UsesEvents => _subscription is not null;

    /// <summary>Returns when the file may have changed, or after the poll interval.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _changed.WaitAsync(_pollInterval, cancellationToken);

    public void Dispose()
    {
        _subscription?.Dispose();
        _changed.Dispose();
    }

    private void Set()
    {
        try
        {
            if (_changed.CurrentCount == 0) _changed.Release();
        }
        catch (Exception e) when (e is SemaphoreFullException or ObjectDisposedException)
        {
            // Already signalled, or the tailer has gone (an event may still be on its way after unsubscribing).
        }
    }
}
