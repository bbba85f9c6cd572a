namespace StreamMonitor.Monitoring.Paths;

/// <summary>
/// The folders a server may read trajectories from and write stop files to (<c>serve --data-root</c>). A path is
/// accepted when, with every symbolic link resolved, it lies inside one of them: a path written with <c>..</c> is
/// refused outright, and one that leaves through a link (a symlinked folder or file pointing elsewhere) is refused
/// with where it leads. A path that does not exist yet (a run registered before it writes) is judged by its deepest
/// existing folder.
/// </summary>
public sealed class PathRoots
{
    private readonly string[] _roots;

    /// <param name="roots">Existing folders; each is resolved to its real path once, here.</param>
    public PathRoots(IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        _roots = roots.Select(Resolve).Distinct(StringComparer.Ordinal).ToArray();
        if (_roots.Length == 0) throw new ArgumentException("at least one data root is needed");
    }

    /// <summary>The roots as resolved.</summary>
    public IReadOnlyList<string> Roots => _roots;

    /// <summary>
    /// The absolute path <paramref name="path"/> names (relative ones are taken from <paramref name="relativeTo"/>), or an
    /// <see cref="ArgumentException"/> saying why it is not inside a root. <paramref name="what"/> names the field in messages.
    /// </summary>
    public string Confine(string path, string what, string? relativeTo = null)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{what} is empty");
        if (path.Contains('\0')) throw new ArgumentException($"{what} contains a NUL character");
        if (path.Split('/').Contains("..")) throw new ArgumentException($"{what} '{path}' contains '..': give the path without it");
        var full = Path.GetFullPath(path, relativeTo ?? Directory.GetCurrentDirectory());
        var real = RealOf(full);
        foreach (var root in _roots)
            if (IsInside(real, root)) return full;
        var leads = real == full ? "" : $" (it leads to {real})";
        throw new ArgumentException($"{what} '{path}' is outside the server's data roots{leads}; allowed: {string.Join(", ", _roots)} (serve --data-root adds one)");
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
}
