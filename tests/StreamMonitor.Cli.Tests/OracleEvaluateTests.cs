using System.Text.Json.Nodes;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary><c>evaluate --oracle cna-quench</c> on a real LJ crystallization (lmp), and its one-line errors.</summary>
[Trait("Category", "Slow")]
public sealed class OracleEvaluateTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheReportOnACrystallizationAddsUp()
    {
        var dump = Lammps.RunQuench(_temp.Path, cells: 5, runSteps: 2000, dumpEvery: 500);
        var r = StreamMonitorCli.Run("evaluate", dump, "--model", "lj", "--oracle", "cna-quench", "--frames", "1:", "--every", "2", "--json");
        Assert.True(r.ExitCode == 0, r.StandardError);
        var json = JsonNode.Parse(r.StandardOutput)!;
        Assert.Equal("cna-quench", json["oracle"]!.GetValue<string>());
        Assert.Equal(2, json["frames"]!.GetValue<long>()); // frames 1 and 3 of 0..4
        Assert.Equal(2 * 500, json["atoms"]!.GetValue<long>());
        Assert.InRange(json["agreement"]!.GetValue<double>(), 0, 1);
        long scored = json["scored"]!.GetValue<long>();
        Assert.True(scored > 0, r.StandardOutput);
        var classes = json["oracle_classes"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        Assert.Equal(["fcc", "hcp", "bcc"], classes);
        Assert.Equal(scored, classes.Sum(c => json["per_class"]![c]!["support"]!.GetValue<long>()));
        var confusion = json["confusion"]!.AsArray();
        Assert.Equal(scored, confusion.Sum(row => row!.AsArray().Sum(v => v!.GetValue<long>())));
        Assert.All(confusion, row => Assert.Equal(json["model_classes"]!.AsArray().Count, row!.AsArray().Count));
        var counts = json["oracle_counts"]!.AsObject();
        Assert.Equal(json["atoms"]!.GetValue<long>(), counts.Sum(p => p.Value!.GetValue<long>()));
        Assert.Equal(scored, classes.Sum(c => counts[c]!.GetValue<long>()));

        var text = StreamMonitorCli.Run("evaluate", dump, "--model", "lj", "--oracle", "cna-quench", "--frames", "4:");
        Assert.True(text.ExitCode == 0, text.StandardError);
        Assert.Contains("confusion (rows: oracle structure, columns: model class)", text.StandardOutput);
    }

    [Fact]
    public void MistakesGetOneLineErrors()
    {
        var dump = Lammps.RunQuench(_temp.Path, cells: 4, runSteps: 100, dumpEvery: 100);
        var noLammps = StreamMonitorCli.Run(new Dictionary<string, string> { ["LMP"] = "/nonexistent" },
            "evaluate", dump, "--model", "lj", "--oracle", "cna-quench");
        Assert.Equal(1, noLammps.ExitCode);
        Assert.Contains("'/nonexistent' could not be started", noLammps.StandardError);
        Assert.Contains("apt-get install lammps", noLammps.StandardError);
        Assert.DoesNotContain("   at ", noLammps.StandardError);

        var notLammps = _temp.File("notes.lammpstrj");
        File.WriteAllText(notLammps, "these are notes, not a trajectory\n");
        var bad = StreamMonitorCli.Run("evaluate", notLammps, "--model", "lj", "--oracle", "cna-quench");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("notes.lammpstrj", bad.StandardError);
        Assert.DoesNotContain("   at ", bad.StandardError);

        var bySource = StreamMonitorCli.Run("evaluate", dump, "--model", "lj", "--oracle", "cna-quench", "--by-source");
        Assert.Equal(2, bySource.ExitCode);
        Assert.Contains("--by-source breaks down a dataset's rows", bySource.StandardError);

        var unknown = StreamMonitorCli.Run("evaluate", dump, "--model", "lj", "--oracle", "voronoi");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown oracle 'voronoi'", unknown.StandardError);
    }
}
