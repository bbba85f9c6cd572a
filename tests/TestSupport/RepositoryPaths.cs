namespace StreamMonitor.TestSupport;

/// <summary>Locations in the repository and beside it (../shared/data) that tests read.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string LjQuenchInput => Path.Combine(Root, "examples", "lj-crystallization", "in.lj-quench");

    /// <summary>The shared reference data beside the checkout.</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "StreamMonitor.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no StreamMonitor.sln above {AppContext.BaseDirectory}");
    }
}
