namespace StreamMonitor.TestSupport;

/// <summary>Locations in the repository that tests read.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string LjQuenchInput => Path.Combine(Root, "examples", "lj-crystallization", "in.lj-quench");

    /// <summary>
    /// data/molstrucclassifier: the urea and nicotinamide crystals, parameter files and published networks of the reference
    /// program (rogalj/MolStrucClassifier, BSD-3-Clause; see its README there).
    /// </summary>
    public static string MolStrucClassifier => Path.Combine(Root, "data", "molstrucclassifier");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "StreamMonitor.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no StreamMonitor.sln above {AppContext.BaseDirectory}");
    }
}
