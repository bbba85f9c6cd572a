using Microsoft.Win32.SafeHandles;
using StreamMonitor.Core;
using StreamMonitor.Ingest.IO;

namespace StreamMonitor.Ingest.Tailing;

/// <summary>
/// One <see cref="FileSystemWatcher"/> on a directory, shared by every followed file in it: each event wakes the
/// subscribers of the file it names. <see cref="FileWatcherPool"/> owns it and counts its subscribers.
/// </summary>
internal sealed class SharedDirectoryWatch : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly SafeFileHandle? _directory;
    private readonly Dictionary<string, List<Action>> _byName;
    private readonly object _gate = new();

    /// <exception cref="IOException">inotify refused (instance or watch limit): the caller polls instead.</exception>
    public SharedDirectoryWatch(string directory, StringComparer names)
    {
        // A removed directory's watcher hears nothing more and says nothing of it: the pool compares this identity
        // with the directory at the path to notice, which the open handle keeps from being reused.
        _directory = DirectoryHandle.Open(directory);
        Identity = _directory is null ? default : FileIdentityProbe.Of(_directory);
        _byName = new Dictionary<string, List<Action>>(names);
        try
        {
            _watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.Size | NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            _watcher.Changed += (_, e) => Wake(e.Name);
            _watcher.Created += (_, e) => Wake(e.Name);
            _watcher.Deleted += (_, e) => Wake(e.Name);
            _watcher.Renamed += (_, e) =>
            {
                // A file renamed onto the followed name replaces it; one renamed away leaves it missing.
                Wake(e.Name);
                Wake(e.OldName);
            };
            // Lost events (queue overflow) may have named anyone here.
            _watcher.Error += (_, _) => WakeAll();
            _watcher.EnableRaisingEvents = true;
        }
        catch
        {
            _watcher?.Dispose();
            _directory?.Dispose();
            throw;
        }
    }

    /// <summary>Device and inode of the watched directory (unknown off Linux).</summary>
    public FileIdentity Identity { get; }

    /// <summary>Subscribers, counted by the pool under its lock; the watcher goes with the last.</summary>
    public int References { get; set; }

    public void Add(string fileName, Action changed)
    {
        lock (_gate)
        {
            if (!_byName.TryGetValue(fileName, out var list)) _byName[fileName] = list = [];
            list.Add(changed);
        }
    }

    public void Remove(string fileName, Action changed)
    {
        lock (_gate)
        {
            if (!_byName.TryGetValue(fileName, out var list)) return;
            list.Remove(changed);
            if (list.Count == 0) _byName.Remove(fileName);
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _directory?.Dispose();
    }

    private void Wake(string? fileName)
    {
        if (fileName is null) return;
        Action[] targets;
        lock (_gate)
        {
            if (!_byName.TryGetValue(fileName, out var list)) return;
            targets = [.. list];
        }
        // Outside the lock: a callback that subscribes or unsubscribes must not deadlock.
        foreach (var changed in targets) changed();
    }

    private void WakeAll()
    {
        Action[] targets;
        lock (_gate) targets = [.. _byName.Values.SelectMany(list => list)];
        foreach (var changed in targets) changed();
    }
}
