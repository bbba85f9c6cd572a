using StreamMonitor.Ingest.IO;

namespace StreamMonitor.Ingest.Tailing;

/// <summary>
/// The file-system watchers of a process: at most one per directory, shared by every followed file in it, and at most
/// <see cref="MaxDirectories"/> directories at once. On Linux each watcher is an inotify instance, and a user has
/// few of them (<c>fs.inotify.max_user_instances</c>, 128 on Debian) for all their programs together: a server
/// following hundreds of runs must not take them all, or other programs of that user (another server's web host
/// among them) fail to start. Files beyond the cap, or whose watcher cannot be created, are polled.
/// </summary>
public sealed class FileWatcherPool
{
    /// <summary>Environment variable that sets <see cref="MaxDirectories"/> of <see cref="Shared"/> (0: poll only).</summary>
    public const string MaxDirectoriesVariable = "STREAMMONITOR_MAX_FILE_WATCHERS";

    /// <summary>A quarter of Debian's default per-user inotify instances, leaving the rest to other programs.</summary>
    public const int DefaultMaxDirectories = 32;

    // Case-insensitive file systems name one file in several spellings; Linux file names are exact.
    private static readonly StringComparer Names = OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    private readonly Dictionary<string, SharedDirectoryWatch> _watches = new(Names);
    private readonly object _gate = new();
    private int _maxDirectories;
    private int _open; // watchers alive: those in _watches and stale ones that still have subscribers

    internal FileWatcherPool(int maxDirectories) => MaxDirectories = maxDirectories;

    /// <summary>The process's pool, used by every tailer; its cap comes from <see cref="MaxDirectoriesVariable"/>.</summary>
    public static FileWatcherPool Shared { get; } = new(LimitFrom(Environment.GetEnvironmentVariable(MaxDirectoriesVariable)));

    /// <summary>
    /// How many directories may be watched at once. Lowering it closes no watcher: new directories poll until enough
    /// of the current ones are released.
    /// </summary>
    public int MaxDirectories
    {
        get => Volatile.Read(ref _maxDirectories);
        set => Volatile.Write(ref _maxDirectories, value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxDirectories), value, "must be 0 or more"));
    }

    /// <summary>Watchers open now (on Linux one inotify instance each).</summary>
    internal int WatchedDirectories
    {
        get
        {
            lock (_gate) return _open;
        }
    }

    /// <summary>The cap an environment variable's value asks for; unset or unreadable, the default.</summary>
    internal static int LimitFrom(string? value) =>
        int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int limit) && limit >= 0
            ? limit
            : DefaultMaxDirectories;

    /// <summary>
    /// Calls <paramref name="changed"/> when the file at <paramref name="path"/> may have changed (on any thread, possibly
    /// more than once per change, possibly shortly after the subscription is disposed). Null when no watcher is to be
    /// had (cap reached, directory missing, inotify refusing): the caller polls.
    /// </summary>
    internal IDisposable? Subscribe(string path, Action changed)
    {
        string directory, fileName;
        try
        {
            var full = Path.GetFullPath(path);
            directory = Path.GetDirectoryName(full) ?? "";
            fileName = Path.GetFileName(full);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
        if (directory.Length == 0 || fileName.Length == 0) return null;

        var identity = FileIdentityProbe.Of(directory);
        lock (_gate)
        {
            // A watcher whose directory was removed (and perhaps made again) is deaf; its subscribers keep it until
            // they end, and newcomers get a watcher of the directory there now.
            if (_watches.TryGetValue(directory, out var watch) && watch.Identity.IsKnown && watch.Identity != identity)
            {
                _watches.Remove(directory);
                watch = null;
            }
            if (watch is null)
            {
                if (_open >= MaxDirectories || !Directory.Exists(directory)) return null;
                try
                {
                    watch = new SharedDirectoryWatch(directory, Names);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
                {
                    return null;
                }
                _watches.Add(directory, watch);
                _open++;
            }
            watch.References++;
            watch.Add(fileName, changed);
            return new Subscription(this, directory, fileName, watch, changed);
        }
    }

    private void Release(string directory, string fileName, SharedDirectoryWatch watch, Action changed)
    {
        lock (_gate)
        {
            watch.Remove(fileName, changed);
            if (--watch.References > 0) return;
            if (_watches.TryGetValue(directory, out var current) && current == watch) _watches.Remove(directory);
            _open--;
        }
        // Outside the lock: closing a watcher stops its reader and closes its inotify instance, which no newcomer needs to wait for.
        watch.Dispose();
    }

    private sealed class Subscription(FileWatcherPool pool, string directory, string fileName, SharedDirectoryWatch watch, Action changed) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) pool.Release(directory, fileName, watch, changed);
        }
    }
}
