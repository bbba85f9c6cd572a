using StreamMonitor.Classification.Training;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>
/// molgraph features through the commands: a urea dump that names atoms by type only gives, with <c>--roles</c>, the rows
/// of its sym_type twin; dataset → train --arch gnn → classify and evaluate run on the committed urea trajectories.
/// </summary>
[Trait("Category", "Slow")]
public sealed class MolecularGraphCommandsTests(UreaStandardDumps dumps) : IClassFixture<UreaStandardDumps>
{
    private static string UreaData => Path.Combine(RepositoryPaths.Root, "tests", "StreamMonitor.Monitoring.Tests", "Data", "urea");
    private static string FormI => Path.Combine(UreaData, "urea-form-I-200K.lammpstrj.gz");
    private static string Melt => Path.Combine(UreaData, "urea-melt-500K.lammpstrj.gz");

    [Fact]
    public void ATypesOnlyDumpWithRolesGivesTheRowsOfTheSymTypeDump()
    {
        using var directory = new TempDirectory("molgraph-roles-");
        var reference = StreamMonitorCli.Run("dataset", "--add", $"I={dumps.Reference}", "--features", "molgraph:urea", "--out", directory.File("reference.smds"));
        var mapped = StreamMonitorCli.Run("dataset", "--add", $"I={dumps.TypesOnly}", "--features", "molgraph:urea", "--roles", "C=3,O=2,N=4",
            "--out", directory.File("mapped.smds"));
        var unmapped = StreamMonitorCli.Run("dataset", "--add", $"I={dumps.TypesOnly}", "--features", "molgraph:urea", "--roles", "C=3,O=2,N=1",
            "--out", directory.File("unmapped.smds"));

        Assert.Equal(0, reference.ExitCode);
        Assert.Equal(0, mapped.ExitCode);
        var a = DatasetFile.Load(directory.File("reference.smds"));
        var b = DatasetFile.Load(directory.File("mapped.smds"));
        Assert.Equal(UreaStandardDumps.Frames * 432, b.Count);
        Assert.Equal(a.Values, b.Values);
        Assert.NotEqual(0, unmapped.ExitCode);
        Assert.Contains($"{dumps.TypesOnly}: frame 0: molecule 1 has C 1, O 1, N 4, 2 other (H) (8 atoms), but preset 'urea' needs", unmapped.StandardError);
    }

    [Fact]
    public void AGraphNetworkTrainsOnMolgraphRowsAndClassifiesMolecules()
    {
        using var directory = new TempDirectory("molgraph-gnn-");
        string data = directory.File("urea.smds"), model = directory.File("urea-gnn.model.json");

        // Few frames and nodes keep the training short; classify reads every frame.
        var dataset = StreamMonitorCli.Run("dataset", "--add", $"I={FormI}@0:2", "--add", $"melt={Melt}@0:2", "--features", "molgraph:urea",
            "--nodes", "16", "--out", data);
        Assert.Equal(0, dataset.ExitCode);
        var train = StreamMonitorCli.Run("train", data, "--arch", "gnn", "--hidden", "8", "--epochs", "2", "--out", model);
        Assert.Equal(0, train.ExitCode);
        var classify = StreamMonitorCli.Run("classify", FormI, "--model", model);
        var evaluate = StreamMonitorCli.Run("evaluate", data, "--model", model);

        Assert.Equal(0, classify.ExitCode);
        var lines = classify.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("frame,mol,class,p_I,p_melt", lines[0]);
        Assert.Equal(5 * 432, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.Contains(l.Split(',')[2], new[] { "I", "melt", "undefined" }));
        Assert.Equal(Enumerable.Range(1, 432).Select(m => m.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            lines.Skip(1).Take(432).Select(l => l.Split(',')[1]));
        Assert.Equal(0, evaluate.ExitCode);
        Assert.Contains("micro-F1", evaluate.StandardOutput);
        Assert.Contains("\"kind\": \"molgraph\"", File.ReadAllText(model));
        Assert.Contains("\"nodes\": 16", File.ReadAllText(model));
    }
}
