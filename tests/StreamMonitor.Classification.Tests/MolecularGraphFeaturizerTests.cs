using System.Text.Json.Nodes;
using StreamMonitor.Classification.Features;
using StreamMonitor.Core;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Classification.Tests;

/// <summary>molgraph rows of the reference program's urea form I crystal (432 molecules), and the spec in model files.</summary>
public sealed class MolecularGraphFeaturizerTests
{
    private static string Urea => Path.Combine(RepositoryPaths.MolStrucClassifier, "urea", "form-I-3456atoms.dump");

    [Fact]
    public void RowsAreTheMoleculesOfTheMolsfRowsWithTheirHeavyAtomsAsOwnNodes()
    {
        using var frame = ReadFirst();
        var spec = new MolecularGraphFeatureSpec("urea");
        var rows = spec.CreateFeaturizer().Compute(frame);
        var molsf = new MolecularFeatureSpec("urea").CreateFeaturizer().Compute(frame);

        Assert.True(spec.PerMolecule);
        Assert.Equal(MolecularGraphFeatureSpec.DefaultNodes * GraphFeatureSpec.NodeWidth, rows.Width);
        Assert.Equal(432, rows.Count);
        Assert.Equal(molsf.Ids, rows.Ids);
        Assert.Equal(molsf.Atoms, rows.Atoms);
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows.Row(r);
            int present = 0, own = 0;
            for (int k = 0; k < spec.Nodes; k++)
            {
                var node = row.Slice(k * GraphFeatureSpec.NodeWidth, GraphFeatureSpec.NodeWidth);
                if (node[0] == 0)
                {
                    Assert.True(node.ToArray().All(v => v == 0), $"row {r} node {k}: an absent node is all zero");
                    continue;
                }
                Assert.Equal(present++, k); // present nodes come first
                own += (int)node[2];
                Assert.InRange(node[1], 0, spec.Types - 1);
                Assert.True(Math.Sqrt(node[3] * node[3] + node[4] * node[4] + node[5] * node[5]) < spec.Cutoff, $"row {r} node {k} is beyond the cutoff");
            }
            Assert.Equal(4, own);
            Assert.InRange(present, 5, spec.Nodes);
        }
    }

    [Fact]
    public void FewerNodesKeepTheNearest()
    {
        using var frame = ReadFirst();
        var all = new MolecularGraphFeatureSpec("urea").CreateFeaturizer().Compute(frame);
        var few = new MolecularGraphFeatureSpec("urea", nodes: 20).CreateFeaturizer().Compute(frame);

        Assert.Equal(20 * GraphFeatureSpec.NodeWidth, few.Width);
        for (int r = 0; r < all.Count; r++) Assert.Equal(all.Row(r)[..few.Width].ToArray(), few.Row(r).ToArray());
    }

    [Fact]
    public void TheSpecReadsBackFromItsJson()
    {
        var spec = new MolecularGraphFeatureSpec("urea", 5.5, 40);
        var json = spec.ToJson();

        var read = Assert.IsType<MolecularGraphFeatureSpec>(FeatureSpec.FromJson(JsonNode.Parse(json.ToJsonString())!.AsObject(), "m.model.json"));

        Assert.Equal("""{"kind":"molgraph","preset":"urea","cutoff":5.5,"nodes":40}""", json.ToJsonString());
        Assert.Equal((spec.Preset, spec.Cutoff, spec.Nodes, spec.Types), (read.Preset, read.Cutoff, read.Nodes, read.Types));
        Assert.Equal(spec.Names, read.Names);
        Assert.Equal(["C", "O", "N"], read.Elements);
        var e = Assert.Throws<FormatException>(() => FeatureSpec.FromJson(new JsonObject { ["kind"] = "molgraph", ["preset"] = "urea", ["cutoff"] = 6.0 }, "m.model.json"));
        Assert.Equal("m.model.json: features (molgraph): no \"nodes\"", e.Message);
    }

    [Fact]
    public void NodesTooFewForTheMoleculeOrAnUnknownPresetAreRefused()
    {
        Assert.Contains("nodes must hold at least the molecule's own 4 heavy atoms (urea), got 3",
            Assert.Throws<ArgumentException>(() => new MolecularGraphFeatureSpec("urea", nodes: 3)).Message);
        Assert.Contains("unknown symmetry-function preset 'benzene'",
            Assert.Throws<ArgumentException>(() => new MolecularGraphFeatureSpec("benzene")).Message);
    }

    private static Frame ReadFirst()
    {
        using var reader = TrajectoryReader.Open(Urea);
        var frames = reader.ReadAll().ToList();
        foreach (var later in frames.Skip(1)) later.Dispose();
        return frames[0];
    }
}
