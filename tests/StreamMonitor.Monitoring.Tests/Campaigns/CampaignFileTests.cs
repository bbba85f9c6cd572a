using System.Text.Json.Nodes;
using StreamMonitor.Monitoring.Campaigns;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Campaigns;

public sealed class CampaignFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public CampaignFileTests()
    {
        File.WriteAllText(_temp.File("liquid.data"), "");
        File.WriteAllText(_temp.File("crystal.data"), "");
    }

    public void Dispose() => _temp.Dispose();

    private JsonObject Campaign() => LjShots.Campaign(_temp.Path);

    private CampaignFile.Parsed Parse(JsonObject json) => CampaignFile.Parse(json.ToJsonString(), "campaign.json", _temp.Path);

    [Fact]
    public void A_campaign_file_resolves_paths_from_its_folder_and_carries_its_command_under_the_campaigns_name()
    {
        var (definition, launch) = Parse(Campaign());
        Assert.Equal("lj-test", definition.Id);
        Assert.Equal(["liquid", "crystal"], definition.BasinNames);
        Assert.Equal(Path.Combine(_temp.Path, "shots"), definition.Directory);
        Assert.Equal(Path.Combine(_temp.Path, "liquid.data"), definition.Points[0].Config);
        Assert.Equal(864, definition.Points[1].Values["n_max"]);
        Assert.Equal(4, definition.TotalShots);
        Assert.NotNull(launch);
        Assert.Equal(definition.Launch, launch.Name);
        Assert.Equal(LaunchKinds.Local, launch.Kind);
        Assert.Contains("{seed}", launch.Template.Arguments);
    }

    [Fact]
    public void A_named_launch_command_is_left_for_the_server_to_resolve()
    {
        var json = Campaign();
        json["launch"] = new JsonObject { ["name"] = "lmp" };
        var (definition, launch) = Parse(json);
        Assert.Equal("lmp", definition.Launch);
        Assert.Null(launch);
    }

    [Theory]
    [InlineData("basins", """[ { "name": "A", "bounds": { "n_max": [null, 10] } } ]""", "exactly two basins")]
    [InlineData("basins", """[ { "name": "A", "bounds": { "n_maxx": [null, 10] } }, { "name": "B", "bounds": { "n_max": [300, null] } } ]""", "n_maxx")]
    [InlineData("shots_per_point", "0", "shots_per_point")]
    [InlineData("max_steps", "0", "max_steps")]
    [InlineData("layout", "\"{point}\"", "layout")]
    [InlineData("layout", "\"../{point}/{shot}\"", "layout")]
    [InlineData("trajectory", "\"a/b.lammpstrj\"", "trajectory")]
    [InlineData("points", """[ { "id": "p", "config": "missing.data" } ]""", "missing.data")]
    [InlineData("points", """[ { "id": "p", "config": "liquid.data" }, { "id": "p", "config": "crystal.data" } ]""", "used twice")]
    [InlineData("points", "\"nowhere/points.json\"", "campaign points")]
    [InlineData("launch", """{ "name": "lmp", "command": "lmp" }""", "exactly one")]
    [InlineData("launch", """{ "command": "lmp -var x {nonsense}" }""", "{nonsense}")]
    [InlineData("launch", """{ "command": "lmp", "kind": "slurm" }""", "kind")]
    [InlineData("concurrency", "2", "concurrency")]
    public void A_wrong_field_is_refused_with_a_message_naming_it(string field, string value, string expected)
    {
        var json = Campaign();
        json[field] = JsonNode.Parse(value);
        var error = Assert.Throws<FormatException>(() => Parse(json));
        Assert.StartsWith("campaign.json: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Shots_get_distinct_seeds_and_folders_that_are_the_same_for_the_same_campaign()
    {
        var (definition, _) = Parse(Campaign());
        var seeds = new HashSet<long>();
        for (int point = 0; point < 50; point++)
            for (int shot = 0; shot < 20; shot++)
                for (int attempt = 1; attempt <= 2; attempt++)
                {
                    long seed = CampaignLayout.Seed(definition.Seed, point, shot, attempt);
                    Assert.InRange(seed, 1, 900_000_000);
                    Assert.True(seeds.Add(seed), $"seed {seed} drawn twice");
                }
        Assert.Equal(CampaignLayout.Seed(7, 3, 4, 1), CampaignLayout.Seed(7, 3, 4, 1));
        Assert.NotEqual(CampaignLayout.Seed(7, 3, 4, 1), CampaignLayout.Seed(8, 3, 4, 1));
        Assert.Equal(Path.Combine(definition.Directory, "liq", "shot-003"), CampaignLayout.Directory(definition, "liq", 3, 1));
        Assert.Equal(Path.Combine(definition.Directory, "liq", "shot-003.r2"), CampaignLayout.Directory(definition, "liq", 3, 2));
        Assert.Equal("lj-test:liq:003:r2", CampaignLayout.RunId("lj-test", "liq", 3, 2));
        Assert.True(RunIds.IsValid(CampaignLayout.RunId("lj-test", "liq", 3, 2)));
    }

    [Fact]
    public void A_launch_template_gets_each_shots_values_as_whole_arguments()
    {
        var (definition, launch) = Parse(Campaign());
        var shot = new ShotRecord { PointId = "liq", Shot = 1, RunId = "lj-test:liq:001", Seed = 4242, Directory = "/data/shots/liq with space/shot-001" };
        Assert.True(launch!.Template.TryExpand(ShotPlaceholders.For(definition, definition.Points[0], shot), out var expanded, out var error), error);
        var arguments = expanded.ToList();
        Assert.Equal(definition.Points[0].Config, arguments[arguments.IndexOf("config") + 1]);
        Assert.Equal("4242", arguments[arguments.IndexOf("seed") + 1]);
        Assert.Equal("3000", arguments[arguments.IndexOf("steps") + 1]);
    }

    [Fact]
    public void Server_launch_commands_are_read_as_name_and_template_and_refuse_unknown_placeholders()
    {
        var command = LaunchCommand.Parse("lmp=lmp -in shoot.in -var seed {seed} -var dir '{dir}'");
        Assert.Equal("lmp", command.Name);
        Assert.Equal(["lmp", "-in", "shoot.in", "-var", "seed", "{seed}", "-var", "dir", "{dir}"], command.Template.Arguments);
        Assert.Contains("{jobid}", Assert.Throws<FormatException>(() => LaunchCommand.Parse("lmp=lmp {jobid}")).Message);
        Assert.Contains("NAME=TEMPLATE", Assert.Throws<FormatException>(() => LaunchCommand.Parse("lmp -in x")).Message);
        var submit = LaunchCommand.Parse("slurm=sbatch --parsable --chdir {dir} shoot.sh {seed}", LaunchKinds.Submit, "--submit-command")
            .WithStatus(CommandTemplate.Parse("squeue -h -j {jobid}"));
        Assert.Equal(["squeue", "-h", "-j", "{jobid}"], submit.Status!.Arguments);
        Assert.Throws<ArgumentException>(() => command.WithStatus(CommandTemplate.Parse("squeue -h -j {jobid}")));
    }
}
