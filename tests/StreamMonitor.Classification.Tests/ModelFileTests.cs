using System.Text.Json.Nodes;
using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Models;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Classification.Tests;

/// <summary>The model file format: lossless round trips, versioning, and errors that name what is wrong.</summary>
public sealed class ModelFileTests
{
    private static ModelFile Sample()
    {
        var random = new Random(5);
        double[] Values(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1 + 1e-17).ToArray();
        var spec = AtomicFeatureSpec.LennardJones;
        var network = new MlpParameters(Values(spec.Width), Values(spec.Width),
            [new DenseLayer(spec.Width, 4, Values(spec.Width * 4), Values(4)), new DenseLayer(4, 5, Values(20), Values(5))],
            OutputActivation.Softmax);
        return new ModelFile("sample", ["fcc", "hcp", "bcc", "ico", "liquid"], spec, network)
        {
            Roles = [ClassRole.Crystal, ClassRole.Other, ClassRole.Crystal, ClassRole.Other, ClassRole.Liquid],
            Description = "a test model",
            Training = new TrainingRecord { Seed = 3, Epochs = 12, ValidationLoss = 0.125, Created = DateTimeOffset.UnixEpoch },
        };
    }

    [Fact]
    public void SavingAndLoadingGivesTheSameModelBitForBit()
    {
        using var temp = new TempDirectory();
        var path = temp.File("m.model.json");
        var model = Sample();
        model.Save(path);
        var back = ModelFile.Load(path);
        Assert.Equal(model.Name, back.Name);
        Assert.Equal(model.Classes, back.Classes);
        Assert.Equal(model.Roles, back.Roles);
        Assert.Equal(["fcc", "bcc"], back.CrystalClasses);
        Assert.Equal(model.Description, back.Description);
        Assert.Equal(model.Features.ToJson().ToJsonString(), back.Features.ToJson().ToJsonString());
        var (saved, loaded) = ((MlpParameters)model.Network, Assert.IsType<MlpParameters>(back.Network));
        Assert.Equal(saved.InputTranslation, loaded.InputTranslation);
        Assert.Equal(saved.InputStretch, loaded.InputStretch);
        for (int l = 0; l < 2; l++)
        {
            Assert.Equal(saved.Layers[l].Weights, loaded.Layers[l].Weights);
            Assert.Equal(saved.Layers[l].Bias, loaded.Layers[l].Bias);
        }
        Assert.Equal(model.Training, back.Training);
    }

    [Fact]
    public void AFileFromANewerVersionIsRefusedAndOptionalFieldsDefault()
    {
        using var temp = new TempDirectory();
        var path = temp.File("m.model.json");
        Sample().Save(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();

        // A version-1 file written before the optional fields existed still loads, with their defaults: the roles its
        // class names gave before files declared them (liquid and melt the liquid, ico other, the rest crystals).
        json["version"] = 1;
        json.Remove("threshold");
        json.Remove("training");
        json.Remove("description");
        json.Remove("roles");
        File.WriteAllText(path, json.ToJsonString());
        var old = ModelFile.Load(path);
        Assert.Equal(0.5, old.Threshold);
        Assert.Null(old.Training.Seed);
        Assert.Equal([ClassRole.Crystal, ClassRole.Crystal, ClassRole.Crystal, ClassRole.Other, ClassRole.Liquid], old.Roles);
        Assert.Equal(ClassRole.Liquid, ClassRoles.FromNames(["melt"])[0]);

        json["version"] = ModelFile.CurrentVersion + 1;
        File.WriteAllText(path, json.ToJsonString());
        var e = Assert.Throws<FormatException>(() => ModelFile.Load(path));
        Assert.Contains("newer", e.Message);
    }

    [Theory]
    [InlineData("classes", "a required field is missing")]
    [InlineData("features", "a required field is missing")]
    public void AMissingFieldIsNamedWithTheFile(string field, string message) => AssertRefused(json => json.Remove(field), message);

    [Theory]
    [InlineData("{\"fcc\": \"crystal\"}", "class 'hcp' has no role")]
    [InlineData("{\"fcc\": \"crystal\", \"diamond\": \"crystal\"}", "'diamond' is not one of the classes")]
    [InlineData("{\"fcc\": \"solid\"}", "fcc: class role 'solid' is not crystal, liquid or other")]
    [InlineData("[\"crystal\"]", "roles: must be an object")]
    public void RolesThatDoNotCoverTheClassesAreRefused(string roles, string message) =>
        AssertRefused(json => json["roles"] = JsonNode.Parse(roles), message);

    /// <summary>The sample model saved with <paramref name="edit"/> made to its JSON fails to load, naming the file and the fault.</summary>
    private static void AssertRefused(Action<JsonObject> edit, string message)
    {
        using var temp = new TempDirectory();
        var path = temp.File("m.model.json");
        Sample().Save(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
        var e = Assert.Throws<FormatException>(() => ModelFile.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void RoleAssignmentsNameClassesAndLeaveTheRestOther()
    {
        string[] classes = ["I", "out2", "melt"];
        Assert.Equal([ClassRole.Crystal, ClassRole.Other, ClassRole.Liquid], ClassRoles.ParseAssignments("I=crystal, melt=liquid", classes));
        Assert.Contains("'IV' is not one of the model's classes", Assert.Throws<ArgumentException>(() => ClassRoles.ParseAssignments("IV=crystal", classes)).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => ClassRoles.ParseAssignments("I=crystal,I=other", classes)).Message);
        Assert.Contains("CLASS=ROLE", Assert.Throws<ArgumentException>(() => ClassRoles.ParseAssignments("I", classes)).Message);
        Assert.Throws<ArgumentException>(() => Sample() with { Roles = [ClassRole.Crystal] });
    }

    [Theory]
    [InlineData("lj", "fcc,hcp,bcc", "liquid")]
    [InlineData("urea-2024", "I", "melt")]
    [InlineData("nicotinamide-2024", "out10", "")]
    public void ShippedModelsDeclareTheirCrystalsAndLiquid(string model, string crystals, string liquid)
    {
        var file = ModelFile.Load(ModelCatalog.Resolve(model));
        Assert.Equal(crystals.Split(','), file.CrystalClasses);
        Assert.Equal(liquid.Split(',', StringSplitOptions.RemoveEmptyEntries), ClassRoles.With(file.Classes, file.Roles, ClassRole.Liquid));
        // Declared in the file itself, not left to the default for files without roles, and in the form Save writes.
        Assert.NotNull(JsonNode.Parse(File.ReadAllText(ModelCatalog.Resolve(model)))!["roles"]);
        using var temp = new TempDirectory();
        file.Save(temp.File("copy.model.json"));
        Assert.Equal(File.ReadAllText(ModelCatalog.Resolve(model)), File.ReadAllText(temp.File("copy.model.json")));
    }

    [Fact]
    public void WrongShapesAndNonModelsAreClearErrors()
    {
        using var temp = new TempDirectory();
        var path = temp.File("m.model.json");
        Sample().Save(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["network"]!["layers"]![0]!["weights"]!.AsArray().RemoveAt(0);
        File.WriteAllText(path, json.ToJsonString());
        var e = Assert.Throws<FormatException>(() => ModelFile.Load(path));
        Assert.Contains("needs 28 weights, got 27", e.Message);

        File.WriteAllText(path, "{\"hello\": 1}");
        Assert.Contains("not a model file", Assert.Throws<FormatException>(() => ModelFile.Load(path)).Message);
        File.WriteAllText(path, "{ nope");
        Assert.Contains("invalid JSON", Assert.Throws<FormatException>(() => ModelFile.Load(path)).Message);

        var model = Sample();
        Assert.Throws<ArgumentException>(() => new ModelFile("x", ["a", "b"], model.Features, model.Network));
        Assert.Throws<ArgumentException>(() => new ModelFile("x", ["a", "b", "c", "d", "undefined"], model.Features, model.Network));
    }

    [Fact]
    public void UnknownShippedNamesAndMissingFilesAreReported()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ModelCatalog.Resolve("no-such-model"));
        Assert.Contains("lj", e.Message);
        Assert.True(File.Exists(ModelCatalog.Resolve("urea-2024")));
    }
}
