namespace StreamMonitor.Classification.Models;

/// <summary>
/// The models shipped in <c>models/</c> (<c>lj</c>, <c>urea-2024</c>, <c>urea-lmp</c>, <c>nicotinamide-2024</c>), found next to the
/// program (the build copies them there) or in the <c>models/</c> folder of the source tree it was built from.
/// </summary>
public static class ModelCatalog
{
    /// <summary>The default for atomic systems when no model is named.</summary>
    public const string DefaultAtomic = "lj";

    public static IReadOnlyList<string> Names { get; } = ["lj", "urea-2024", "urea-lmp", "nicotinamide-2024"];

    /// <summary>The file of a shipped model, or <paramref name="nameOrPath"/> itself when it names an existing file.</summary>
    public static string Resolve(string nameOrPath)
    {
        if (System.IO.File.Exists(nameOrPath)) return nameOrPath;
        if (Names.Contains(nameOrPath))
        {
            foreach (var directory in Directories())
            {
                var path = Path.Combine(directory, nameOrPath + ModelFile.Extension);
                if (System.IO.File.Exists(path)) return path;
            }
            throw new FileNotFoundException($"the shipped model '{nameOrPath}' is missing (looked in {string.Join(", ", Directories())})");
        }
        throw new FileNotFoundException($"model '{nameOrPath}': no such file, and not a shipped model ({string.Join(", ", Names)})");
    }

    private static IEnumerable<string> Directories()
    {
        yield return Path.Combine(AppContext.BaseDirectory, "models");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "StreamMonitor.sln")))
            {
                yield return Path.Combine(dir.FullName, "models");
                yield break;
            }
    }
}
