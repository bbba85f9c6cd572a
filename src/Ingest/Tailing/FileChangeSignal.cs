namespace StreamMonitor.Ingest.Tailing;

/// <summary>
/// Wakes a waiting tailer when the file changes (inotify through <see cref="FileSystemWatcher"/>) or when the
/// poll interval passes, whichever comes first. Where events are unavailable (inotify limits, network file
/// systems that never deliver them) it silently degrades to polling.
/// </summary>
internal sealed class FileChangeSignal : IDisposable
{
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly FileSystemWatcher? _watcher;
    private readonly TimeSpan _pollInterval;

    public FileChangeSignal(string path, TimeSpan pollInterval, bool useEvents)
    {
        _pollInterval = pollInterval;
        if (!useEvents) return;
        try
        {
            var full = System.IO.Path.GetFullPath(path);
            var dir = System.IO.Path.GetDirectoryName(full);
            if (dir is null || !Directory.Exists(dir)) return;
            _watcher = new FileSystemWatcher(dir, System.IO.Path.GetFileName(full))
            {
                NotifyFilter = NotifyFilters.Size | NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => Set();
            _watcher.Created += (_, _) => Set();
            _watcher.Deleted += (_, _) => Set();
            _watcher.Renamed += (_, _) => Set();
            _watcher.Error += (_, _) => Set();
            _watcher.EnableRaisingEvents = true;
            UsesEvents = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            _watcher?.Dispose();
            _watcher = null;
        }
    }

    /// <summary>False when only polling is in effect.</summary>
    public bool UsesEvents { get; }

    /// <summary>Returns when the file may have changed, or after the poll interval.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _changed.WaitAsync(_pollInterval, cancellationToken);

    public void Dispose()
    {
        _watcher?.Dispose();
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
            // Already signalled, or the tailer has gone: either way nothing to do.
        }
    }
}
