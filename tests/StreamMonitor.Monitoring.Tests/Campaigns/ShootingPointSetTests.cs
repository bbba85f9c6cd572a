using System.Text.Json.Nodes;
using StreamMonitor.Monitoring.Campaigns;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Campaigns;

public sealed class ShootingPointSetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Folder(string name) => Directory.CreateDirectory(_temp.File(name)).FullName;

    private static ShootingPoint Point(string folder, long frame, string format = LammpsConfigurationWriter.Data)
    {
        var id = ShootingPoint.IdOf(frame);
        var config = Path.Combine(folder, id + LammpsConfigurationWriter.Extension(format));
        File.WriteAllText(config, "configuration\n");
        return new ShootingPoint(id, config, format, frame * 250, frame, frame * 250,
            new Dictionary<string, double> { ["n_max"] = 57 + frame, ["crystalline_fraction"] = 0.02, ["class:fcc"] = 50 });
    }

    [Fact]
    public void ConfigurationsAreStoredRelativeToTheManifestAndLoadedAbsolute()
    {
        var folder = Folder("points");
        var set = new ShootingPointSet("/runs/dump.lammpstrj", "lj", [Point(folder, 40), Point(folder, 80, LammpsConfigurationWriter.Dump)]);
        var manifest = Path.Combine(folder, ShootingPointSet.FileName);
        set.Save(manifest);

        var json = JsonNode.Parse(File.ReadAllText(manifest))!;
        Assert.Equal("f000040.data", json["points"]![0]!["config"]!.GetValue<string>());
        Assert.Equal("f000080.lammpstrj", json["points"]![1]!["config"]!.GetValue<string>());
        Assert.Equal(57 + 40, json["points"]![0]!["values"]!["n_max"]!.GetValue<double>());
        Assert.Equal(10_000, json["points"]![0]!["config_step"]!.GetValue<long>());
        ContractSchema.Check(File.ReadAllText(manifest), "shooting_point_set");

        // The folder moves as a whole: the points follow it.
        var moved = _temp.File("moved");
        Directory.Move(folder, moved);
        var loaded = ShootingPointSet.Load(Path.Combine(moved, ShootingPointSet.FileName));
        Assert.Equal(set.Source, loaded.Source);
        Assert.Equal(set.Model, loaded.Model);
        Assert.Equal(set.Points.Select(p => p with { Config = Path.Combine(moved, Path.GetFileName(p.Config)) }).Select(Key),
            loaded.Points.Select(Key));
        Assert.All(loaded.Points, p => Assert.True(Path.IsPathFullyQualified(p.Config) && File.Exists(p.Config), p.Config));
    }

    private static string Key(ShootingPoint p) =>
        $"{p.Id} {p.Config} {p.ConfigFormat} {p.ConfigStep} {p.Frame} {p.Step} {string.Join(",", p.Values.Select(v => $"{v.Key}={v.Value}"))}";

    [Fact]
    public void AConfigurationInAnotherFolderIsReachedThroughARelativePath()
    {
        var configs = Folder("configs");
        var manifest = Path.Combine(Folder("campaign"), ShootingPointSet.FileName);
        new ShootingPointSet("/runs/t.lammpstrj", "lj", [Point(configs, 3)]).Save(manifest);
        Assert.Contains("\"../configs/f000003.data\"", File.ReadAllText(manifest));
        Assert.Equal(Path.Combine(configs, "f000003.data"), ShootingPointSet.Load(manifest).Points[0].Config);
    }

    [Fact]
    public void AMissingConfigurationIsAnErrorNamingTheManifestAndThePoint()
    {
        var folder = Folder("points");
        var points = new[] { Point(folder, 1), Point(folder, 2) };
        var manifest = Path.Combine(folder, ShootingPointSet.FileName);
        new ShootingPointSet("/runs/t.lammpstrj", "lj", points).Save(manifest);
        File.Delete(points[1].Config);

        var error = Assert.Throws<FileNotFoundException>(() => ShootingPointSet.Load(manifest));
        Assert.Contains(manifest, error.Message);
        Assert.Contains("point f000002", error.Message);
        Assert.Contains("f000002.data", error.Message);
    }

    [Theory]
    [InlineData("""{"source": "s", "model": "lj", "points": [{"id": "a", "config": "c", "config_format": "xyz", "config_step": 0, "frame": 0, "step": 0, "values": {}}]}""",
        "point a: config_format must be data or dump, got 'xyz'")]
    [InlineData("""{"source": "s", "model": "lj", "points": [{"id": "a", "config": "c", "config_format": "data", "config_step": 0, "frame": 0, "values": {}}]}""",
        "step")]
    [InlineData("""{"source": "s", "model": "lj", "points": [{"id": null, "config": "c", "config_format": "data", "config_step": 0, "frame": 0, "step": 0, "values": {}}]}""",
        "id")]
    [InlineData("""{"source": "s", "model": "lj", "points": []}""", "holds no points")]
    [InlineData("""{"source": "s", "model": "lj", "points": [""", "not a shooting-points manifest")]
    public void ABadManifestIsAFormatErrorNamingTheFileAndWhatIsWrong(string json, string message)
    {
        File.WriteAllText(_temp.File("c"), "configuration\n");
        var manifest = _temp.File(ShootingPointSet.FileName);
        File.WriteAllText(manifest, json);
        var error = Assert.Throws<FormatException>(() => ShootingPointSet.Load(manifest));
        Assert.Contains(manifest, error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void APointIdUsedTwiceIsRefused()
    {
        var folder = Folder("points");
        var manifest = Path.Combine(folder, ShootingPointSet.FileName);
        new ShootingPointSet("/runs/t.lammpstrj", "lj", [Point(folder, 7), Point(folder, 7)]).Save(manifest);
        var error = Assert.Throws<FormatException>(() => ShootingPointSet.Load(manifest));
        Assert.Contains("point id 'f000007' appears more than once", error.Message);
    }

    [Fact]
    public void AMissingManifestIsFileNotFound() =>
        Assert.Contains("no such file", Assert.Throws<FileNotFoundException>(() => ShootingPointSet.Load(_temp.File("none.json"))).Message);
}
