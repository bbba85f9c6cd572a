using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Training;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Classification.Tests;

/// <summary>The dataset file and manifest formats.</summary>
public sealed class DatasetTests
{
    private static Dataset Sample(int rows = 50)
    {
        var spec = AtomicFeatureSpec.LennardJones;
        var random = new Random(2);
        var values = Enumerable.Range(0, rows * spec.Width).Select(_ => random.NextDouble()).ToArray();
        var labels = Enumerable.Range(0, rows).Select(r => r % 3).ToArray();
        var sources = Enumerable.Range(0, rows).Select(r => r % 2).ToArray();
        return new Dataset(spec, ["fcc", "bcc", "liquid"], ["a", "b"], values, labels, sources);
    }

    [Fact]
    public void DatasetsRoundTripAndTruncationIsDetected()
    {
        using var temp = new TempDirectory();
        var path = temp.File("d.smds");
        var data = Sample();
        DatasetFile.Save(data, path);
        var back = DatasetFile.Load(path);
        Assert.Equal(data.Values, back.Values);
        Assert.Equal(data.Labels, back.Labels);
        Assert.Equal(data.SourceIndex, back.SourceIndex);
        Assert.Equal(data.Classes, back.Classes);
        Assert.Equal(data.Sources, back.Sources);
        Assert.Equal(data.Features.Names, back.Features.Names);

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var e = Assert.Throws<FormatException>(() => DatasetFile.Load(path));
        Assert.Contains("truncated", e.Message);
        File.WriteAllText(path, "PK\u0003\u0004 not a dataset");
        Assert.Contains("not a dataset file", Assert.Throws<FormatException>(() => DatasetFile.Load(path)).Message);
    }

    [Fact]
    public void SplitsKeepEveryClassOnBothSidesAndAreSeeded()
    {
        var data = Sample(90);
        var (train, validation) = data.Split(0.2, seed: 4);
        Assert.Equal(90, train.Count + validation.Count);
        Assert.All(validation.ClassCounts(), c => Assert.Equal(6, c));
        Assert.Equal(validation.Values, data.Split(0.2, seed: 4).Validation.Values);
        Assert.NotEqual(validation.Values, data.Split(0.2, seed: 5).Validation.Values);
    }

    [Fact]
    public void ManifestsParseAndTheirErrorsNameTheLine()
    {
        using var temp = new TempDirectory();
        var path = temp.File("m.tsv");
        File.WriteAllText(path, "# label path frames types\nfcc\tfcc.dump\nico\tsub/ico.dump\t2:10\t2,3\nliquid\t/abs/l.dump\t5:\tall\n");
        var sources = DatasetSource.ReadManifest(path);
        Assert.Equal(3, sources.Count);
        Assert.Equal(Path.Combine(temp.Path, "fcc.dump"), sources[0].Path);
        Assert.Equal((2L, 10L), (sources[1].FirstFrame, sources[1].EndFrame!.Value));
        Assert.True(sources[1].Types!.SetEquals([2, 3]));
        Assert.Equal("/abs/l.dump", sources[2].Path);
        Assert.True(sources[2].Includes(99) && !sources[2].Includes(4));

        File.WriteAllText(path, "fcc\tfcc.dump\nbcc\tb.dump\t3:1\n");
        var e = Assert.Throws<FormatException>(() => DatasetSource.ReadManifest(path));
        Assert.Contains(":2:", e.Message);
        Assert.Contains("empty range", e.Message);
        File.WriteAllText(path, "fcc\tfcc.dump\tall\tx\n");
        Assert.Contains("not an atom type", Assert.Throws<FormatException>(() => DatasetSource.ReadManifest(path)).Message);
    }
}
