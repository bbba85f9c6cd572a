using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>
/// dataset, train, evaluate and classify on Lennard-Jones crystals and liquids from real LAMMPS runs at temperatures
/// the shipped model was not trained on.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ModelCommandsTests(LjQuickDataset data) : IClassFixture<LjQuickDataset>, IDisposable
{
    private static readonly string[] LjClasses = ["fcc", "hcp", "bcc", "ico", "liquid"];
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheDatasetHoldsEveryClass()
    {
        foreach (var c in LjClasses) Assert.Matches($@"(?m)^\s+{c}\s+\d+", data.DatasetOutput);
        Assert.Contains("avg_q4, avg_q6, avg_q8, avg_w4, avg_w6, avg_w8, coordination", data.DatasetOutput);
    }

    [Fact]
    public void TheShippedModelScoresAtLeast098OnHeldOutTemperatures()
    {
        var r = StreamMonitorCli.Run("evaluate", data.Dataset, "--model", "lj", "--json", "--by-source");
        Assert.True(r.ExitCode == 0, r.StandardError);
        var json = JsonNode.Parse(r.StandardOutput)!;
        double f1 = json["micro_f1"]!.GetValue<double>();
        // Every row is in exactly one source, and every source's rows are predicted as something.
        var sources = json["by_source"]!.AsArray();
        Assert.Equal(json["rows"]!.GetValue<long>(), sources.Sum(s => s!["rows"]!.GetValue<long>()));
        Assert.All(sources, s => Assert.Equal(s!["rows"]!.GetValue<long>(), s["predicted"]!.AsObject().Sum(p => p.Value!.GetValue<long>())));
        foreach (var c in LjClasses) Assert.Contains(sources, s => s!["source"]!.GetValue<string>().StartsWith(c + "=", StringComparison.Ordinal));
        Assert.True(f1 >= 0.98, $"micro-F1 {f1} on held-out temperatures: {r.StandardOutput}");
        var confusion = json["confusion"]!.AsArray();
        Assert.Equal(5, confusion.Count);
        Assert.All(confusion, row => Assert.Equal(5, row!.AsArray().Count));
        foreach (var c in LjClasses) Assert.InRange(json["per_class"]![c]!["recall"]!.GetValue<double>(), 0.9, 1);

        var text = StreamMonitorCli.Run("evaluate", data.Dataset, "--model", "lj");
        Assert.Contains("confusion (rows: true class, columns: predicted)", text.StandardOutput);
        Assert.DoesNotContain("by source", text.StandardOutput);
        var bySource = StreamMonitorCli.Run("evaluate", data.Dataset, "--model", "lj", "--by-source");
        Assert.Contains("by source (rows, accuracy, then rows predicted as each class)", bySource.StandardOutput);
        Assert.Equal(sources.Count, Regex.Matches(bySource.StandardOutput, @"(?m)^\w+=\S+\s+\d+\s+[01]\.\d{4}(\s+\d+){6}$").Count);
    }

    [Fact]
    public void TrainingIsReproducibleAndTheModelClassifiesItsData()
    {
        string a = _temp.File("a.model.json"), b = _temp.File("b.model.json");
        foreach (var output in new[] { a, b })
        {
            // Roles are recorded with the model and change nothing in the training.
            string[] roles = output == a ? ["--roles", "fcc=crystal,hcp=crystal,liquid=liquid"] : [];
            var r = StreamMonitorCli.Run(["train", data.Dataset, "--out", output, "--epochs", "15", "--seed", "7", .. roles]);
            Assert.True(r.ExitCode == 0, r.StandardError);
            Assert.Contains("epochs, best", r.StandardOutput);
        }
        static JsonNode? Network(string path) => JsonNode.Parse(File.ReadAllText(path))!["network"];
        Assert.Equal(Network(a)!.ToJsonString(), Network(b)!.ToJsonString());
        static Dictionary<string, string> Roles(string path) =>
            JsonNode.Parse(File.ReadAllText(path))!["roles"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        Assert.Equal(new Dictionary<string, string> { ["fcc"] = "crystal", ["hcp"] = "crystal", ["bcc"] = "other", ["ico"] = "other", ["liquid"] = "liquid" }, Roles(a));
        Assert.Equal(new Dictionary<string, string> { ["fcc"] = "crystal", ["hcp"] = "crystal", ["bcc"] = "crystal", ["ico"] = "other", ["liquid"] = "liquid" }, Roles(b)); // by name

        var evaluated = StreamMonitorCli.Run("evaluate", data.Dataset, "--model", a, "--json");
        Assert.True(evaluated.ExitCode == 0, evaluated.StandardError);
        Assert.True(JsonNode.Parse(evaluated.StandardOutput)!["micro_f1"]!.GetValue<double>() > 0.9, evaluated.StandardOutput);
    }

    [Fact]
    public void ClassifyWritesOneRowPerAtomWithItsClassAndProbabilities()
    {
        var r = StreamMonitorCli.Run("classify", data.DumpOf("fcc"), "--model", "lj");
        var rows = ClassifiedAtoms(r, "frame,id,class,p_fcc,p_hcp,p_bcc,p_ico,p_liquid");
        double fcc = rows.Count(f => f[2] == "fcc") / (double)rows.Length;
        Assert.True(fcc > 0.95, $"{fcc:P1} of a held-out fcc crystal classified fcc");
        Assert.Matches(@"frame \d+ step \d+: fcc \d+ hcp \d+ bcc \d+ ico \d+ liquid \d+ undefined \d+", r.StandardError);
    }

    [Fact]
    public void ClassifyingOnTheCpuNeverLoadsLibtorchWhileTrainingDoes()
    {
        // glibc's loader names every library it initialises, those TorchSharp opens at run time too.
        var loads = new Dictionary<string, string> { ["LD_DEBUG"] = "libs" };
        var classified = StreamMonitorCli.Run(loads, "classify", data.DumpOf("fcc"), "--model", "lj", "--out", _temp.File("classes.csv"));
        Assert.True(classified.ExitCode == 0, classified.StandardError);
        Assert.Contains("model lj on cpu (fused, ", classified.StandardError);
        Assert.Contains("libcoreclr.so", classified.StandardError);
        Assert.DoesNotContain("libtorch_cpu.so", classified.StandardError);

        var trained = StreamMonitorCli.Run(loads, "train", data.Dataset, "--out", _temp.File("t.model.json"), "--epochs", "1");
        Assert.True(trained.ExitCode == 0, trained.StandardError[^Math.Min(3000, trained.StandardError.Length)..]);
        Assert.Contains("libtorch_cpu.so", trained.StandardError);
    }

    [Fact]
    public void MistakesGetOneLineErrors()
    {
        var missing = StreamMonitorCli.Run("evaluate", _temp.File("none.smds"), "--model", "lj");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("none.smds: no such dataset file", missing.StandardError);

        var wrongModel = StreamMonitorCli.Run("classify", data.DumpOf("fcc"), "--model", "urea-2024");
        Assert.NotEqual(0, wrongModel.ExitCode);
        Assert.Contains("frame 0", wrongModel.StandardError);
        Assert.DoesNotContain("   at ", wrongModel.StandardError);

        var mismatch = StreamMonitorCli.Run("evaluate", data.Dataset, "--model", "urea-2024");
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains("features", mismatch.StandardError);

        var badRole = StreamMonitorCli.Run("train", data.Dataset, "--out", _temp.File("r.model.json"), "--roles", "fcc=solid");
        Assert.Equal(2, badRole.ExitCode); // refused before any training
        Assert.Contains("--roles: class role 'solid' is not crystal, liquid or other", badRole.StandardError);
        Assert.False(File.Exists(_temp.File("r.model.json")));

        File.WriteAllText(_temp.File("bad.model.json"), "{\"format\": \"streammonitor-model\", \"version\": 99}");
        var newer = StreamMonitorCli.Run("classify", data.DumpOf("fcc"), "--model", _temp.File("bad.model.json"));
        Assert.Equal(1, newer.ExitCode);
        Assert.Contains("newer", newer.StandardError);
    }

    [Fact]
    public void AGraphNetworkTrainsOnGraphRowsAndClassifiesLikeAnyModel()
    {
        string dataset = _temp.File("g.smds"), model = _temp.File("g.model.json");
        var built = StreamMonitorCli.Run("dataset", "--add", $"fcc={data.DumpOf("fcc")}", "--add", $"liquid={data.DumpOf("liquid")}",
            "--features", "graph", "--neighbors", "12", "--out", dataset);
        Assert.True(built.ExitCode == 0, built.StandardError);
        // 13 nodes of 6 values; the names of so many columns are shortened to the first node's and the last.
        Assert.Contains("× 78 features (n0_present, n0_type, n0_own, n0_dx, n0_dy, n0_dz, …, n12_dz)", built.StandardOutput);

        var trained = StreamMonitorCli.Run("train", dataset, "--arch", "gnn", "--hidden", "8,8", "--epochs", "2", "--schedule", "cosine", "--out", model);
        Assert.True(trained.ExitCode == 0, trained.StandardError);
        var file = JsonNode.Parse(File.ReadAllText(model))!;
        Assert.Equal("gnn", file["network"]!["arch"]!.GetValue<string>());
        Assert.Equal("cosine", file["training"]!["schedule"]!.GetValue<string>());

        ClassifiedAtoms(StreamMonitorCli.Run("classify", data.DumpOf("fcc"), "--model", model), "frame,id,class,p_fcc,p_liquid");
        // watch runs it through the live pipeline's shared batcher, as it does an MLP.
        var watch = StreamMonitorCli.Run("watch", data.DumpOf("fcc"), "--model", model, "--json", "--idle-exit", "1");
        Assert.True(watch.ExitCode == 0, watch.StandardError);
        var summaries = watch.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)
            .Where(n => n["type"]!.GetValue<string>() == "summary").Select(n => n["summary"]!).ToArray();
        Assert.NotEmpty(summaries);
        Assert.All(summaries, s =>
        {
            Assert.Equal("g", s["model"]!.GetValue<string>());
            Assert.Equal(s["count"]!.GetValue<long>(), s["class_counts"]!.AsObject().Sum(c => c.Value!.GetValue<long>()) + s["undefined"]!.GetValue<long>());
        });

        var badArch = StreamMonitorCli.Run("train", dataset, "--arch", "transformer", "--out", _temp.File("t.model.json"));
        Assert.Equal(2, badArch.ExitCode);
        Assert.Contains("--arch: unknown 'transformer' (mlp, gnn)", badArch.StandardError);
        var badSchedule = StreamMonitorCli.Run("train", dataset, "--arch", "gnn", "--schedule", "step", "--out", _temp.File("s.model.json"));
        Assert.Equal(2, badSchedule.ExitCode);
        Assert.Contains("--schedule: unknown 'step' (constant, cosine)", badSchedule.StandardError);
        var notGraph = StreamMonitorCli.Run("train", data.Dataset, "--arch", "gnn", "--out", _temp.File("n.model.json"));
        Assert.Equal(2, notGraph.ExitCode);
        Assert.Contains("a graph network trains on graph features (graph or molgraph); the dataset has steinhardt", notGraph.StandardError);
    }

    /// <summary>The rows of a successful <c>classify</c> of the 500-atom fcc dump, checked: the header, a row per atom, probabilities that sum to 1.</summary>
    private static string[][] ClassifiedAtoms(ExternalProcess.Result r, string header)
    {
        Assert.True(r.ExitCode == 0, r.StandardError);
        var lines = r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(header, lines[0]);
        var rows = lines[1..].Select(l => l.Split(',')).ToArray();
        Assert.True(rows.Length >= 500);
        Assert.All(rows, f => Assert.Equal(1.0, f[3..].Sum(p => double.Parse(p, CultureInfo.InvariantCulture)), 1e-5));
        return rows;
    }
}
