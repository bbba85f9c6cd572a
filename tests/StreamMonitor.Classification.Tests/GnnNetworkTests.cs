using System.Text.Json.Nodes;
using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Models;
using StreamMonitor.Classification.Training;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Classification.Tests;

/// <summary>
/// The graph network: invariant under rotation, translation and neighbour order, the same after a save and load, and
/// able to tell a real LJ crystal from its liquid after a short training.
/// </summary>
public sealed class GnnNetworkTests
{
    private static readonly GraphFeatureSpec Spec = new(neighbors: 12, cutoff: 1.5);

    /// <summary>A network of the given shape with seeded random weights.</summary>
    private static GnnParameters RandomNetwork(int classes = 3, int seed = 11)
    {
        var random = new Random(seed);
        var weights = GnnParameters.ShapesFor(types: 1, hidden: 8, layers: 2, basis: 6, classes).ToDictionary(s => s.Key, s => Enumerable.Range(0, (int)s.Value.Aggregate(1L, (a, b) => a * b))
            .Select(_ => (float)(random.NextDouble() - 0.5)).ToArray());
        return new GnnParameters(Spec.Nodes, 1, 8, 2, 6, Spec.Cutoff, classes, weights);
    }

    /// <summary>Rows of random graphs: each target with 8 to 12 neighbours inside the cutoff, the other slots empty.</summary>
    private static double[] RandomGraphs(int rows, int seed)
    {
        var random = new Random(seed);
        var values = new double[rows * Spec.Width];
        for (int r = 0; r < rows; r++)
        {
            var row = values.AsSpan(r * Spec.Width, Spec.Width);
            (row[0], row[2]) = (1, 1);
            int count = random.Next(8, Spec.Neighbors + 1);
            for (int k = 1; k <= count; k++)
            {
                var node = row.Slice(k * GraphFeatureSpec.NodeWidth, GraphFeatureSpec.NodeWidth);
                node[0] = 1;
                for (int d = 3; d < 6; d++) node[d] = (random.NextDouble() * 2 - 1) * 0.85;
            }
        }
        return values;
    }

    /// <summary>Applies <paramref name="move"/> to every present node's position (the target's too).</summary>
    private static double[] Moved(double[] rows, Func<double, double, double, (double, double, double)> move)
    {
        var moved = (double[])rows.Clone();
        for (int at = 0; at < moved.Length; at += GraphFeatureSpec.NodeWidth)
            if (moved[at] == 1) (moved[at + 3], moved[at + 4], moved[at + 5]) = move(moved[at + 3], moved[at + 4], moved[at + 5]);
        return moved;
    }

    [Fact]
    public void OutputsDoNotDependOnOrientationPositionOrNeighbourOrder()
    {
        using var network = new GnnNetwork(RandomNetwork(), MlpPrecision.Double);
        var rows = RandomGraphs(20, seed: 3);
        var reference = network.Forward(rows);

        // A rotation by Euler angles (0.3, 1.1, -0.7), then a translation.
        var (ca, sa, cb, sb, cc, sc) = (Math.Cos(0.3), Math.Sin(0.3), Math.Cos(1.1), Math.Sin(1.1), Math.Cos(-0.7), Math.Sin(-0.7));
        var rotated = Moved(rows, (x, y, z) =>
        {
            (x, y) = (ca * x - sa * y, sa * x + ca * y);
            (y, z) = (cb * y - sb * z, sb * y + cb * z);
            (x, y) = (cc * x - sc * y, sc * x + cc * y);
            return (x, y, z);
        });
        AssertClose(reference, network.Forward(rotated));
        AssertClose(reference, network.Forward(Moved(rows, (x, y, z) => (x + 3.5, y - 1.25, z + 0.5))));

        var shuffled = (double[])rows.Clone();
        var random = new Random(9);
        for (int r = 0; r < 20; r++)
        {
            var slots = Enumerable.Range(1, Spec.Neighbors).ToArray();
            random.Shuffle(slots);
            for (int k = 1; k <= Spec.Neighbors; k++)
                rows.AsSpan((r * Spec.Nodes + k) * GraphFeatureSpec.NodeWidth, GraphFeatureSpec.NodeWidth)
                    .CopyTo(shuffled.AsSpan((r * Spec.Nodes + slots[k - 1]) * GraphFeatureSpec.NodeWidth));
        }
        Assert.NotEqual(rows, shuffled);
        AssertClose(reference, network.Forward(shuffled));

        // A change of shape (one coordinate stretched) does change the outputs.
        var stretched = network.Forward(Moved(rows, (x, y, z) => (x * 1.3, y, z)));
        Assert.True(reference.Zip(stretched).Max(p => Math.Abs(p.First - p.Second)) > 1e-4);
    }

    /// <summary>Rows enter the network in single precision, so a moved row differs by its rounding (~1e-7) and no more.</summary>
    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-6);
    }

    [Fact]
    public void ASavedAndLoadedModelGivesTheSameOutputs()
    {
        using var temp = new TempDirectory();
        var path = temp.File("g.model.json");
        var file = new ModelFile("g", ["a", "b", "c"], Spec, RandomNetwork());
        file.Save(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(3, json["version"]!.GetValue<int>());
        Assert.Equal("gnn", json["network"]!["arch"]!.GetValue<string>());
        var back = ModelFile.Load(path);
        Assert.Equal(Spec.ToJson().ToJsonString(), Assert.IsType<GraphFeatureSpec>(back.Features).ToJson().ToJsonString());
        var rows = RandomGraphs(50, seed: 4);
        using var saved = new GnnNetwork((GnnParameters)file.Network);
        using var loaded = new GnnNetwork(Assert.IsType<GnnParameters>(back.Network));
        Assert.Equal(saved.Forward(rows), loaded.Forward(rows));
        Assert.All(loaded.Forward(rows).Chunk(3), p => Assert.Equal(1, p.Sum(), 1e-9));
    }

    [Fact]
    public void BadNetworksInFilesAreNamed()
    {
        using var temp = new TempDirectory();
        var path = temp.File("g.model.json");
        new ModelFile("g", ["a", "b", "c"], Spec, RandomNetwork()).Save(path);
        var text = File.ReadAllText(path);

        var json = JsonNode.Parse(text)!;
        json["network"]!["arch"] = "transformer";
        File.WriteAllText(path, json.ToJsonString());
        var unknown = Assert.Throws<FormatException>(() => ModelFile.Load(path));
        Assert.Contains("arch \"transformer\" is not known (mlp, gnn)", unknown.Message);
        Assert.StartsWith(path, unknown.Message);

        json = JsonNode.Parse(text)!;
        json["network"]!["weights"]!.AsObject().Remove("coordination.bias");
        File.WriteAllText(path, json.ToJsonString());
        Assert.Contains("'coordination.bias' is missing", Assert.Throws<FormatException>(() => ModelFile.Load(path)).Message);

        // A file of the earlier design (triangle edge updates, no attention heads) is refused with what to do.
        json = JsonNode.Parse(text)!;
        json["network"]!.AsObject().Remove("heads");
        json["network"]!["weights"]!["layers.0.triangle.weight"] = new JsonArray(1f);
        File.WriteAllText(path, json.ToJsonString());
        Assert.Contains("train it again with 'train --arch gnn'", Assert.Throws<FormatException>(() => ModelFile.Load(path)).Message);

        // So is one whose layers hear only each node's own harmonics, not their neighbourhood average.
        json = JsonNode.Parse(text)!;
        var weights = json["network"]!["weights"]!.AsObject();
        int single = weights["layers.0.angular_norm.weight"]!.AsArray().Count / 2;
        foreach (var part in new[] { "weight", "bias" })
            weights[$"layers.0.angular_norm.{part}"] = new JsonArray(Enumerable.Range(0, single).Select(_ => (JsonNode?)JsonValue.Create(1f)).ToArray());
        File.WriteAllText(path, json.ToJsonString());
        var earlier = Assert.Throws<FormatException>(() => ModelFile.Load(path)).Message;
        Assert.Contains("neighbourhood-averaged harmonics", earlier);
        Assert.Contains("train it again with 'train --arch gnn'", earlier);

        // An MLP file of version 2 (no arch) still loads as an MLP.
        using var mlp = ClassifierModel.Load("lj");
        var v2 = temp.File("v2.model.json");
        mlp.File.Save(v2);
        json = JsonNode.Parse(File.ReadAllText(v2))!;
        json["version"] = 2;
        json["network"]!.AsObject().Remove("arch");
        File.WriteAllText(v2, json.ToJsonString());
        var old = ModelFile.Load(v2);
        Assert.IsType<MlpParameters>(old.Network);
        Assert.Equal(mlp.File.Network, old.Network, new MlpComparer());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ATinyNetworkTrainedOnLammpsFramesTellsCrystalFromLiquid()
    {
        using var temp = new TempDirectory();
        // 500 atoms each at ρ = 1.0: fcc at T = 0.4, and the lattice melted at T = 2.5 (above melting at this density);
        // frames 100 steps apart, the last frame of each held out.
        foreach (var (name, temperature) in new[] { ("fcc", 0.4), ("liquid", 2.5) })
            Lammps.RunInput(temp.Path, Lammps.LjSystem("block 0 5 0 5 0 5", density: 1.0, temperature: temperature) + $"""
                fix t all langevin {temperature} {temperature} 0.5 {(name == "fcc" ? 5 : 7)}
                run {(name == "fcc" ? 200 : 1000)}
                dump d all custom 100 {name}.lammpstrj id type x y z
                run 300
                """);
        var spec = new GraphFeatureSpec(neighbors: 12, cutoff: 1.5);
        var train = new DatasetBuilder(spec, ["fcc", "liquid"]).Build(
            [new DatasetSource("fcc", temp.File("fcc.lammpstrj"), 0, 3), new DatasetSource("liquid", temp.File("liquid.lammpstrj"), 0, 3)]);
        var test = new DatasetBuilder(spec, ["fcc", "liquid"]).Build(
            [new DatasetSource("fcc", temp.File("fcc.lammpstrj"), 3, 4), new DatasetSource("liquid", temp.File("liquid.lammpstrj"), 3, 4)]);
        var options = new TrainingOptions { Hidden = [8, 8], MaxEpochs = 4, BatchSize = 64, LearningRate = 1e-2, Seed = 2 };
        var file = new GnnTrainer(options, basis: 8).Train(train, "tiny");
        using var model = new ClassifierModel(file);
        var predicted = model.Predict(test.Values).Labels;
        var report = new ClassificationReport(test.Classes, test.Labels, predicted);
        Assert.True(report.MicroF1 > 0.95, $"micro-F1 {report.MicroF1} on held-out frames");
    }

    private sealed class MlpComparer : IEqualityComparer<NetworkParameters>
    {
        public bool Equals(NetworkParameters? x, NetworkParameters? y) => x is MlpParameters a && y is MlpParameters b
            && a.InputTranslation.SequenceEqual(b.InputTranslation) && a.InputStretch.SequenceEqual(b.InputStretch)
            && a.Layers.Zip(b.Layers).All(l => l.First.Weights.SequenceEqual(l.Second.Weights) && l.First.Bias.SequenceEqual(l.Second.Bias));

        public int GetHashCode(NetworkParameters obj) => 0;
    }
}
