using System.Text.Json.Nodes;
using StreamMonitor.Monitoring.Campaigns;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Campaigns;

/// <summary><c>streammonitor campaign points</c> on a LAMMPS crystallization trajectory.</summary>
[Trait("Category", "Slow")]
public sealed class PointsCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A crystal slab growing into its quenched melt: n_max rises from about 400 to 1300 over 21 frames.</summary>
    private string GrowingCrystal()
    {
        var dump = _temp.File("dump.lammpstrj");
        ExternalProcess.Run("lmp", Lammps.QuenchArguments(dump, cells: 8, meltSteps: 2000, runSteps: 2000, dumpEvery: 100), _temp.Path);
        return dump;
    }

    /// <summary>The frame summaries <c>watch --json</c> prints for the finished file, by frame index.</summary>
    private static Dictionary<long, JsonObject> WatchSummaries(string dump)
    {
        var watch = StreamMonitorCli.Run("watch", dump, "--json", "--idle-exit", "1");
        Assert.True(watch.ExitCode == 0, watch.StandardError);
        return watch.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .Where(u => u["type"]!.GetValue<string>() == "summary")
            .Select(u => u["summary"]!.AsObject())
            .ToDictionary(s => s["frame"]!.GetValue<long>());
    }

    [Fact]
    public void TheKeptFramesAreExactlyThoseOfEveryNthThatSatisfyTheFilterWithTheValuesWatchReports()
    {
        var dump = GrowingCrystal();
        var watched = WatchSummaries(dump);
        Assert.Equal(21, watched.Count);

        // Bounds from the run itself, so that frames fall on both sides of the range.
        int NMax(long frame) => watched[frame]["n_max"]!.GetValue<int>();
        var even = watched.Keys.Where(f => f % 2 == 0).ToList();
        var sorted = even.Select(NMax).Order().ToList();
        int low = sorted[2], high = sorted[^3];
        var expected = even.Where(f => NMax(f) >= low && NMax(f) <= high).ToList();
        Assert.InRange(expected.Count, 1, even.Count - 4);

        var folder = _temp.File("points");
        var r = StreamMonitorCli.Run("campaign", "points", dump, "--every", "2", "--where", $"n_max in [{low}, {high}]", "--out", folder);
        Assert.True(r.ExitCode == 0, r.StandardError);

        var manifest = Path.Combine(folder, ShootingPointSet.FileName);
        ContractSchema.Check(File.ReadAllText(manifest), "shooting_point_set");
        var set = ShootingPointSet.Load(manifest);
        Assert.Equal(Path.GetFullPath(dump), set.Source);
        Assert.Equal("lj", set.Model);
        Assert.Equal(expected, set.Points.Select(p => p.Frame));
        foreach (var point in set.Points)
        {
            var summary = watched[point.Frame];
            Assert.Equal(ShootingPoint.IdOf(point.Frame), point.Id);
            Assert.Equal(summary["step"]!.GetValue<long>(), point.Step);
            Assert.Equal(point.Step, point.ConfigStep);
            Assert.Equal(NMax(point.Frame), point.Values["n_max"]);
            Assert.InRange(point.Values["n_max"], low, high);
            Assert.Equal(summary["crystalline_fraction"]!.GetValue<double>(), point.Values["crystalline_fraction"], 1e-12);
            Assert.Equal(summary["class_counts"]!["fcc"]!.GetValue<int>(), point.Values["class:fcc"]);
            Assert.Equal(LammpsConfigurationWriter.Data, point.ConfigFormat);
            Assert.Equal(Path.Combine(folder, point.Id + ".data"), point.Config);
            Assert.Contains($"{summary["count"]} atoms", File.ReadLines(point.Config).Take(5));
        }
        // A line per point and the count.
        var lines = r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(set.Points.Count + 1, lines.Length);
        Assert.StartsWith($"{set.Points[0].Id}  frame", lines[0]);
        Assert.Contains($"n_max {NMax(set.Points[0].Frame),6}", lines[0]);
        Assert.StartsWith($"{set.Points.Count} points from 11 of 21 frames", lines[^1]);

        // The manifest is not replaced by accident; with --force it is, here as JSON on stdout.
        var again = StreamMonitorCli.Run("campaign", "points", dump, "--out", folder);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("points.json exists; pass --force", again.StandardError);
        var json = StreamMonitorCli.Run("campaign", "points", dump, "--out", folder, "--force", "--json", "--format", "dump", "--max", "2", "--every", "5");
        Assert.True(json.ExitCode == 0, json.StandardError);
        ContractSchema.Check(json.StandardOutput, "shooting_point_set");
        var printed = JsonNode.Parse(json.StandardOutput)!["points"]!.AsArray();
        Assert.Equal(["f000000", "f000005"], printed.Select(p => p!["id"]!.GetValue<string>()));
        Assert.Equal(["f000000.lammpstrj", "f000005.lammpstrj"], printed.Select(p => p!["config"]!.GetValue<string>()));
        Assert.Equal(watched[5]["step"]!.GetValue<long>(), printed[1]!["config_step"]!.GetValue<long>());
        Assert.Equal(json.StandardOutput, File.ReadAllText(manifest));
    }

    [Fact]
    public void MistakesAreOneLineErrorsWithTheirExitCodes()
    {
        var dump = _temp.File("small.lammpstrj");
        ExternalProcess.Run("lmp", Lammps.QuenchArguments(dump, cells: 4, runSteps: 200, dumpEvery: 100), _temp.Path);
        var folder = _temp.File("points");

        var unknown = StreamMonitorCli.Run("campaign", "points", dump, "--out", folder, "--where", "n_max > 3 and size < 2");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--where: unknown quantity 'size' at position 15 (known: n_max, count", unknown.StandardError);

        var noClass = StreamMonitorCli.Run("campaign", "points", dump, "--out", folder, "--where", "fraction:ice > 0.1");
        Assert.Equal(2, noClass.ExitCode);
        Assert.Contains("class 'ice' of fraction:ice is not one of model lj's classes (fcc, hcp, bcc, ico, liquid)", noClass.StandardError);

        var none = StreamMonitorCli.Run("campaign", "points", dump, "--out", folder, "--where", "n_max > 100000");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("matched --where 'n_max > 100000' (3 of 3 frames summarised); nothing written", none.StandardError);
        Assert.False(File.Exists(Path.Combine(folder, ShootingPointSet.FileName)));

        var every = StreamMonitorCli.Run("campaign", "points", dump, "--every", "0");
        Assert.Equal(2, every.ExitCode);
        Assert.Contains("--every must be at least 1, got 0", every.StandardError);

        var missing = StreamMonitorCli.Run("campaign", "points", _temp.File("none.lammpstrj"), "--out", folder);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("none.lammpstrj: no such file", missing.StandardError);

        foreach (var r in new[] { unknown, noClass, none, every, missing })
            Assert.DoesNotContain("   at ", r.StandardError);
    }
}
