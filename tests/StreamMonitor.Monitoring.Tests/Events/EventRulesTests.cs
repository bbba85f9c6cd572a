using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Events;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Events;

public sealed class EventRulesTests
{
    private static string ParseError(string json) =>
        Assert.Throws<FormatException>(() => EventRules.Parse(json, "rules.json")).Message;

    [Fact]
    public void AnEmptyFileIsTheDefaults()
    {
        var rules = EventRules.Parse("{}", "rules.json");

        Assert.Equal(EventRules.Default.Nucleation, rules.Nucleation);
        Assert.Equal(EventRules.Default.Melting, rules.Melting);
        Assert.Equal(EventRules.Default.Stall, rules.Stall);
        Assert.Empty(rules.Commitment.Basins);
        Assert.Equal(RunEventKinds.Detected.Order(), rules.Enabled.Order());
    }

    [Fact]
    public void ReadsEverySection()
    {
        var rules = EventRules.Parse("""
            {
              // comments and trailing commas are fine
              "nucleation": { "threshold": 200, "consecutive": 4, "growth": null },
              "melting": { "drop": 0.25, "below": null, "surface_dominance": 3 },
              "polymorph_change": { "enabled": false },
              "interface_motion": { "speed": 0.5, "bounds": [0, 16.2], "margin_fraction": 0.1 },
              "basins": [
                { "name": "A", "bounds": { "n_max": [null, 20] } },
                { "name": "B", "bounds": { "crystalline_fraction": [0.8, null], "fraction:fcc": [0.5, 1.5] } },
              ],
              "commitment": { "consecutive": 2, "rearm": true },
              "stall": { "multiple": 8, "minimum_seconds": 5, "initial_seconds": 30 },
              "restart": { "enabled": false },
            }
            """, "rules.json");

        Assert.Equal(new NucleationOptions { Threshold = 200, Consecutive = 4, Growth = null }, rules.Nucleation);
        Assert.Equal(new MeltingOptions { Drop = 0.25, Below = null, SurfaceDominance = 3 }, rules.Melting);
        Assert.Equal(new InterfaceMotionOptions { Speed = 0.5, Bounds = (0, 16.2), MarginFraction = 0.1 }, rules.InterfaceMotion);
        Assert.Equal(2, rules.Commitment.Consecutive);
        Assert.True(rules.Commitment.Rearm);
        Assert.Equal(["A", "B"], rules.Commitment.Basins.Select(b => b.Name));
        Assert.Equal(new BasinBound(null, 20), rules.Commitment.Basins[0].Bounds["n_max"]);
        Assert.Equal(new BasinBound(0.5, 1.5), rules.Commitment.Basins[1].Bounds["fraction:fcc"]);
        Assert.Equal(TimeSpan.FromSeconds(5), rules.Stall.Minimum);
        Assert.Equal(TimeSpan.FromSeconds(30), rules.Stall.Initial);
        Assert.Equal(8, rules.Stall.Multiple);
        Assert.False(rules.IsEnabled(RunEventKinds.PolymorphChange));
        Assert.False(rules.IsEnabled(RunEventKinds.Restart));
        Assert.True(rules.IsEnabled(RunEventKinds.Commitment));
    }

    [Theory]
    [InlineData("""{ "nucleation": { "consecutive": "three" } }""", "rules.json: nucleation.consecutive: expected a whole number, got \"three\"")]
    [InlineData("""{ "nucleation": { "threshold": 99.5 } }""", "rules.json: nucleation.threshold: expected a whole number, got 99.5")]
    [InlineData("""{ "melting": { "drop": "30%" } }""", "rules.json: melting.drop: expected a number, got \"30%\"")]
    [InlineData("""{ "commitment": { "rearm": 1 } }""", "rules.json: commitment.rearm: expected true or false, got 1")]
    [InlineData("""{ "stall": [] }""", "rules.json: stall: expected an object { ... }, got []")]
    [InlineData("""{ "interface_motion": { "bounds": [0] } }""", "rules.json: interface_motion.bounds: expected [lower, upper] (numbers, or null for no bound), got [0]")]
    [InlineData("""{ "interface_motion": { "bounds": [0, null] } }""", "rules.json: interface_motion.bounds: expected [lower, upper] with two numbers, got [0, null]")]
    [InlineData("""{ "basins": { "name": "A" } }""", "rules.json: basins: expected an array [ ... ], got { \"name\": \"A\" }")]
    [InlineData("""{ "basins": [ { "bounds": { "n_max": [null, 20] } } ] }""", "rules.json: basins[0].name: is required")]
    public void AWrongTypeNamesTheFileAndTheField(string json, string message) =>
        Assert.Equal(message, ParseError(json));

    [Fact]
    public void AnUnknownFieldIsAnErrorNotASilentDefault()
    {
        Assert.Equal("rules.json: nucleation.treshold: unknown field (known here: enabled, threshold, growth, consecutive, rearm_fraction)",
            ParseError("""{ "nucleation": { "treshold": 200 } }"""));
        Assert.StartsWith("rules.json: nucleaton: unknown field (known here: nucleation, melting, ",
            ParseError("""{ "nucleaton": { "threshold": 200 } }"""));
        Assert.StartsWith("rules.json: basins[0].bound: unknown field",
            ParseError("""{ "basins": [ { "name": "A", "bounds": { "n_max": [null, 20] }, "bound": 1 } ] }"""));
    }

    [Fact]
    public void AValueTheOptionsRefuseNamesTheSection()
    {
        Assert.Equal("rules.json: nucleation: consecutive must be at least 1, got 0", ParseError("""{ "nucleation": { "consecutive": 0 } }"""));
        Assert.Equal("rules.json: melting: below and drop are both off: set at least one", ParseError("""{ "melting": { "below": null, "drop": null } }"""));
        Assert.Equal("rules.json: commitment: consecutive must be at least 1, got -1", ParseError("""{ "commitment": { "consecutive": -1 } }"""));
    }

    [Fact]
    public void BasinErrorsNameTheBasinAndTheQuantity()
    {
        Assert.StartsWith("rules.json: basins[1].bounds.nmax: unknown quantity 'nmax' (known: n_max, ",
            ParseError("""{ "basins": [ { "name": "A", "bounds": { "n_max": [null, 20] } }, { "name": "B", "bounds": { "nmax": [300, null] } } ] }"""));
        Assert.Equal("rules.json: basins[0]: basin 'A', n_max: lower bound 20 must be below upper bound 20, or nothing is inside",
            ParseError("""{ "basins": [ { "name": "A", "bounds": { "n_max": [20, 20] } } ] }"""));
        Assert.Equal("rules.json: basins[0].bounds.n_max: expected a number, got \"20\"",
            ParseError("""{ "basins": [ { "name": "A", "bounds": { "n_max": [null, "20"] } } ] }"""));
        Assert.Equal("rules.json: basins: basin 'A' is defined twice",
            ParseError("""{ "basins": [ { "name": "A", "bounds": { "n_max": [null, 20] } }, { "name": "A", "bounds": { "n_max": [300, null] } } ] }"""));
    }

    [Fact]
    public void MalformedJsonSaysWhere()
    {
        var message = ParseError("{\n  \"nucleation\": { \"threshold\": 200 \n}");

        Assert.StartsWith("rules.json: not valid JSON at line 3", message);
        Assert.DoesNotContain("LineNumber", message);
    }

    [Fact]
    public void LoadNamesTheFileInItsErrors()
    {
        using var temp = new TempDirectory();
        var path = temp.File("rules.json");
        File.WriteAllText(path, """{ "stall": { "minimum_seconds": 0 } }""");

        var e = Assert.Throws<FormatException>(() => EventRules.Load(path));
        Assert.Equal($"{path}: stall: minimum_seconds must be positive, got 0 s", e.Message);

        File.WriteAllText(path, """{ "nucleation": { "threshold": 150 } }""");
        Assert.Equal(150, EventRules.Load(path).Nucleation.Threshold);

        var missing = Assert.Throws<FileNotFoundException>(() => EventRules.Load(temp.File("none.json")));
        Assert.Contains("none.json", missing.Message);
    }

    [Fact]
    public void RulesBuiltInCodeAreCheckedWithTheSectionNamed()
    {
        var rules = EventRules.Default with { Melting = new MeltingOptions { Drop = 2 } };

        Assert.Equal("melting: drop must be between 0 and 1 (exclusive), got 2", Assert.Throws<ArgumentException>(rules.Validate).Message);
        Assert.StartsWith("enabled: 'stop' is not a detected event kind",
            Assert.Throws<ArgumentException>((EventRules.Default with { Enabled = new HashSet<string> { "stop" } }).Validate).Message);
    }
}
