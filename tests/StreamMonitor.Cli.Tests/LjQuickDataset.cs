using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>
/// The held-out test temperatures of the Lennard-Jones dataset, made once per test run by
/// <c>models/lj/make-dataset.sh --quick</c> (real LAMMPS runs, under a minute) and featurised by the CLI.
/// </summary>
public sealed class LjQuickDataset : IDisposable
{
    private readonly TempDirectory _temp = new();

    public LjQuickDataset()
    {
        var script = Path.Combine(RepositoryPaths.Root, "models", "lj", "make-dataset.sh");
        var made = ExternalProcess.Run("bash", [script, "--quick", _temp.Path]);
        if (made.ExitCode != 0) throw new InvalidOperationException($"make-dataset.sh --quick failed: {made.StandardError}");
        Manifest = _temp.File("test.tsv");
        Dataset = _temp.File("test.smds");
        var built = StreamMonitorCli.Run("dataset", "--manifest", Manifest, "--out", Dataset);
        if (built.ExitCode != 0) throw new InvalidOperationException($"streammonitor dataset failed: {built.StandardError}");
        DatasetOutput = built.StandardOutput;
    }

    public string Manifest { get; }
    public string Dataset { get; }
    public string DatasetOutput { get; }
    public string Directory => _temp.Path;

    /// <summary>The dump of the first manifest line with this label.</summary>
    public string DumpOf(string label) => Path.Combine(Directory, File.ReadLines(Manifest)
        .Select(l => l.Split('\t')).First(f => f[0] == label)[1]);

    public void Dispose() => _temp.Dispose();
}
