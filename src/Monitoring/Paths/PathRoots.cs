namespace StreamMonitor.Monitoring.Paths;

/// <summary>
/// The folders a server may read trajectories from and write stop files to (<c>serve --data-root</c>), less the folders
/// it keeps for itself (its state and credentials). A path is accepted when, with every symbolic link resolved, it lies
/// inside a root and outside the excluded folders; it is then kept as that resolved path, so a link swapped later does
/// not lead the run elsewhere. A path written with <c>..</c> is refused outright, one that leaves through a link is
/// refused with where it leads, and a link that leads nowhere is refused too (it would lead wherever its target appears).
/// A path that does not exist yet (a run registered before it writes) is judged by its deepest existing folder.
/// </summary>
public sealed class PathRoots
{
    private readonly string[] _roots;
    private readonly string[] _excluded;

    /// <param name="roots">Existing folders; each is resolved to its real path once, here.</param>
    /// <param name="excluded">Folders (or files) under the roots that are not to be touched: the server's own state and credentials.</param>
    public PathRoots(IEnumerable<string> roots, IEnumerable<string>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(roots);
        _roots = roots.Select(Resolve).Distinct(StringComparer.Ordinal).ToArray();
        if (_roots.Length == 0) throw new ArgumentException("at least one data root is needed");
        _excluded = (excluded ?? []).Select(e => RealOf(Path.GetFullPath(e))).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The roots as resolved.</summary>
    public IReadOnlyList<string> Roots => _roots;

    /// <summary>
    /// The resolved absolute path <paramref name="path"/> names (relative ones are taken from <paramref name="relativeTo"/>),
    /// or an <see cref="ArgumentException"/> saying why it may not be used. <paramref name="what"/> names the field in messages.
    /// </summary>
    public string Confine(string path, string what, string? relativeTo = null)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{what} is empty");
        if (path.Contains('\0')) throw new ArgumentException($"{what} contains a NUL character");
        if (path.Split('/').Contains("..")) throw new ArgumentException($"{what} '{path}' contains '..': give the path without it");
        var full = Path.GetFullPath(path, relativeTo ?? Directory.GetCurrentDirectory());
        string real;
        try
        {
            real = RealOf(full);
        }
        catch (DanglingLinkException e)
        {
            throw new ArgumentException($"{what} '{path}' goes through {e.Link}, a symbolic link to {e.Target}, which does not exist");
        }
        var leads = real == full ? "" : $" (it leads to {real})";
        if (!_roots.Any(root => IsInside(real, root)))
            throw new ArgumentException($"{what} '{path}' is outside the server's data roots{leads}; allowed: {string.Join(", ", _roots)} (serve --data-root adds one)");
        if (_excluded.FirstOrDefault(folder => IsInside(real, folder)) is { } own)
            throw new ArgumentException($"{what} '{path}' is in {own}, which the server keeps for its own state{leads}");
        return real;
    }

    /// <summary>The real path of <paramref name="full"/>: its own if it exists, else its deepest existing ancestor's with the rest appended.</summary>
    private static string RealOf(string full)
    {
        var rest = new Stack<string>();
        var current = full;
        while (true)
        {
            if (NativePaths.RealPath(current) is { } real)
                return rest.Count == 0 ? real : Path.Combine([real, .. rest]);
            if (new FileInfo(current).LinkTarget is { } target) throw new DanglingLinkException(current, target);
            var parent = Path.GetDirectoryName(current);
            if (parent is null) return full;
            rest.Push(Path.GetFileName(current));
            current = parent;
        }
    }

    private static bool IsInside(string path, string root) =>
        path == root || path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);

    private static string Resolve(string root)
    {
        var full = Path.GetFullPath(root);
        return NativePaths.RealPath(full) is { } real && Directory.Exists(real)
            ? real
            : throw new ArgumentException($"data root {root}: no such folder");
    }

    private sealed class DanglingLinkException(string link, string target) : Exception
    {
        public string Link { get; } = link;
        public string Target { get; } = target;
    }
}
