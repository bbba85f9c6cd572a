using System.Text.Json.Nodes;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>
/// The urea runs keep both cores busy with LAMMPS for a minute or more, so they run alone: beside them, the browser and
/// cluster tests' pages and silos starved past their timeouts.
/// </summary>
[CollectionDefinition(nameof(UreaNanoclusterDemoTests), DisableParallelization = true)]
public sealed class UreaNanoclusterDemoCollection;

/// <summary>
/// examples/urea-nanocluster/run.sh --quick: a urea nanocluster melting in real LAMMPS while <c>watch</c> follows the dump
/// as it is written (the script runs both), and models/urea/make-dataset.sh --quick read by <c>dataset</c>.
/// </summary>
[Trait("Category", "Slow")]
[Collection(nameof(UreaNanoclusterDemoTests))]
public sealed class UreaNanoclusterDemoTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Dictionary<string, string> Environment => new()
    {
        ["STREAMMONITOR"] = $"dotnet {StreamMonitorCli.Assembly}",
        ["WORKDIR"] = _temp.Path,
    };

    [Fact]
    public void TheClusterMeltsFromItsSurfaceWithSurfaceAndCoreReportedLive()
    {
        var script = Path.Combine(RepositoryPaths.Root, "examples", "urea-nanocluster", "run.sh");
        var run = ExternalProcess.Run("bash", [script, "--quick", "--json"], check: false, timeout: TimeSpan.FromMinutes(8), environment: Environment);
        Assert.True(run.ExitCode == 0, run.StandardError);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines) ContractSchema.Check(line, "run_update");
        var updates = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var summaries = updates.Where(u => u["type"]!.GetValue<string>() == "summary").Select(u => u["summary"]!.AsObject()).ToList();
        var events = updates.Where(u => u["type"]!.GetValue<string>() == "event").Select(u => u["event"]!.AsObject()).ToList();

        Assert.Equal(21, summaries.Count); // 5000 heating steps, a frame every 250
        Assert.All(summaries, s => Assert.Equal(336, s["count"]!.GetValue<int>()));
        Assert.Contains(summaries, s => s["surface"] is not null && s["core"] is not null &&
                                        s["surface"]!.GetValue<int>() > 0 && s["core"]!.GetValue<int>() > 0);
        var melting = Assert.Single(events, e => e["kind"]!.GetValue<string>() == "melting");
        Assert.Equal("surface", melting["labels"]!["mode"]!.GetValue<string>());
        Assert.True(summaries[^1]["crystalline_fraction"]!.GetValue<double>() < summaries[0]["crystalline_fraction"]!.GetValue<double>());
    }

    [Fact]
    public void TheQuickDatasetIsReadWithTheUreaFeatures()
    {
        var script = Path.Combine(RepositoryPaths.Root, "models", "urea", "make-dataset.sh");
        var made = ExternalProcess.Run("bash", [script, "--quick", _temp.Path], check: false, timeout: TimeSpan.FromMinutes(8), environment: Environment);
        Assert.True(made.ExitCode == 0, made.StandardError);
        var built = StreamMonitorCli.Run("dataset", "--manifest", _temp.File("test.tsv"), "--out", _temp.File("test.smds"), "--features", "molsf:urea");
        Assert.True(built.ExitCode == 0, built.StandardError);
        // One frame each: two crystals (432 I each), the melt (432), the melted cluster (336), and the slab (864) and cluster (336) split into inside (I) and surface rows.
        var counts = built.StandardOutput.Split('\n').Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 2).ToDictionary(f => f[0], f => int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["I", "melt", "surface"], counts.Keys.Order());
        Assert.Equal(432 + 336, counts["melt"]); // the bulk melt and the melted cluster
        Assert.Equal(2 * 432 + 864 + 336, counts["I"] + counts["surface"]);
        Assert.InRange(counts["surface"], 1, 864 + 336 - 1);
    }
}
