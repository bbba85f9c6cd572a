using StreamMonitor.Dashboard.Hosting;
using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Cli.Tests.Campaigns;

/// <summary>The launch commands a site configures for campaigns: in <c>serve --config</c> and as <c>serve</c> options.</summary>
public sealed class LaunchCommandConfigTests : IDisposable
{
    private readonly ServerConfigScratch _config = new();

    public void Dispose() => _config.Dispose();

    private ServerOptions Apply(string json) => _config.Apply(json);

    [Fact]
    public void The_config_file_names_local_and_batch_launch_commands()
    {
        var options = Apply("""
            { "launch_commands": {
                "lmp": "lmp -in /inputs/shoot.in -var seed {seed} -var config {config}",
                "slurm": { "kind": "submit", "command": ["sbatch", "--parsable", "--chdir", "{dir}", "shoot.sh", "{seed}"], "status": "squeue -h -j {jobid}", "timeout": 30 } } }
            """);
        var lmp = options.LaunchCommands.Single(c => c.Name == "lmp");
        Assert.Equal(LaunchKinds.Local, lmp.Kind);
        Assert.Equal(["lmp", "-in", "/inputs/shoot.in", "-var", "seed", "{seed}", "-var", "config", "{config}"], lmp.Template.Arguments);
        var slurm = options.LaunchCommands.Single(c => c.Name == "slurm");
        Assert.Equal(LaunchKinds.Submit, slurm.Kind);
        Assert.Equal(["squeue", "-h", "-j", "{jobid}"], slurm.Status!.Arguments);
        Assert.Equal(TimeSpan.FromSeconds(30), slurm.Timeout);
        Assert.Equal(options.LaunchCommands, options.Silo.LaunchCommands);
    }

    [Theory]
    [InlineData("""{ "launch_commands": { "lmp": "lmp {nonsense}" } }""", "launch_commands.lmp: ")]
    [InlineData("""{ "launch_commands": { "lmp": { "kind": "local", "command": "lmp", "status": "ps {jobid}" } } }""", "status")]
    [InlineData("""{ "launch_commands": { "lmp": { "kind": "cloud", "command": "lmp" } } }""", "kind")]
    [InlineData("""{ "launch_commands": { "lmp": { "cmd": "lmp" } } }""", "unknown key 'cmd'")]
    [InlineData("""{ "launch_commands": { "lmp": 3 } }""", "expected a template")]
    public void A_wrong_launch_command_is_refused_naming_where(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Apply(json));
        Assert.Contains("launch_commands.lmp", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Serve_options_give_local_and_submit_commands_and_attach_a_job_status_to_its_submit_command()
    {
        var commands = LaunchCommandOptions.Read(
            ["lmp=lmp -in shoot.in -var seed {seed}"], ["slurm=sbatch --parsable shoot.sh {seed}"], ["slurm=squeue -h -j {jobid}"]);
        Assert.Equal(LaunchKinds.Local, commands.Single(c => c.Name == "lmp").Kind);
        Assert.NotNull(commands.Single(c => c.Name == "slurm").Status);
        Assert.Contains("no --submit-command 'lmp'", Assert.Throws<FormatException>(() =>
            LaunchCommandOptions.Read(["lmp=lmp"], [], ["lmp=ps {jobid}"])).Message);
    }
}
