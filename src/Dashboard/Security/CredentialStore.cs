using Microsoft.Extensions.Logging;

namespace StreamMonitor.Dashboard.Security;

/// <summary>
/// The server's view of its auth file. Every request asks for <see cref="Current"/>, which looks at the file's
/// modification time and size (one stat) and reads it again when they changed, so <c>users</c> and <c>keys</c>
/// commands take effect at the next request, a removed key included, without a restart. A file that no longer
/// reads (a bad hand edit) leaves the last good credentials in force and is logged once per change.
/// </summary>
public sealed class CredentialStore
{
    private readonly object _gate = new();
    private readonly ILogger _logger;
    private CredentialSet _current;
    private (long Ticks, long Length)? _stamp;

    public CredentialStore(string path, CredentialSet loaded, ILogger<CredentialStore> logger)
    {
        Path = path;
        _logger = logger;
        _current = loaded;
        _stamp = Stamp(path);
    }

    public string Path { get; }

    public CredentialSet Current
    {
        get
        {
            var stamp = Stamp(Path);
            lock (_gate)
            {
                if (stamp == _stamp) return _current;
                _stamp = stamp;
                try
                {
                    _current = AuthFile.Load(Path);
                    _logger.LogInformation("{Path}: re-read, {Users} users and {Keys} keys", Path, _current.Users.Count, _current.Keys.Count);
                }
                catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
                {
                    _logger.LogError("{Path}: not re-read, the previous credentials stay in force: {Reason}", Path, e.Message);
                }
                return _current;
            }
        }
    }

    private static (long, long)? Stamp(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? (file.LastWriteTimeUtc.Ticks, file.Length) : null;
    }
}
