using System.Diagnostics;
using System.Text.RegularExpressions;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.Monitoring.Paths;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Control;

/// <summary>What a server lets a registration ask for: named commands with checked parameters, own processes, stop files under its roots.</summary>
public sealed class StopPolicyTests : IDisposable
{
    private readonly TempDirectory _temp = new("streammonitor-stop-policy-");

    public void Dispose() => _temp.Dispose();

    private string Trajectory => _temp.File("run/dump.lammpstrj");

    private StopPolicy Policy(params string[] commands) =>
        new(new PathRoots([_temp.Path]), commands.Select(NamedCommand.Parse), new ProcessGuard(new Regex("sleep")));

    [Fact]
    public void A_command_is_named_and_its_parameters_must_match_their_patterns()
    {
        var policy = Policy("slurm=scancel {jobid}");
        var spec = policy.Check(StopSpec.ForCommand("slurm", new Dictionary<string, string> { ["jobid"] = "123456_7" }), Trajectory);
        Assert.Equal("slurm", spec.Command);

        Assert.Contains("unknown stop command 'bash' (configured: slurm)",
            Assert.Throws<ArgumentException>(() => policy.Check(StopSpec.ForCommand("bash"), Trajectory)).Message);
        Assert.Contains("needs the parameter \"jobid\"",
            Assert.Throws<ArgumentException>(() => policy.Check(StopSpec.ForCommand("slurm"), Trajectory)).Message);
        // A value that would be read as an option, or carries anything but digits, '_' and '.', is refused.
        foreach (var bad in new[] { "--signal=KILL", "1; rm -rf /", "12 34", "", "$(id)" })
            Assert.Contains("does not match", Assert.Throws<ArgumentException>(() =>
                policy.Check(StopSpec.ForCommand("slurm", new Dictionary<string, string> { ["jobid"] = bad }), Trajectory)).Message);
        Assert.Contains("takes no parameter \"account\"", Assert.Throws<ArgumentException>(() => policy.Check(
            StopSpec.ForCommand("slurm", new Dictionary<string, string> { ["jobid"] = "1", ["account"] = "x" }), Trajectory)).Message);
    }

    [Fact]
    public void A_template_may_use_only_placeholders_the_server_fills_or_knows_the_pattern_of()
    {
        Assert.Contains("uses {note}", Assert.Throws<ArgumentException>(() => Policy("notify=notify {note}")).Message);
        var declared = new NamedCommand("notify", CommandTemplate.Parse("notify --account {account} {run_id}"),
            new Dictionary<string, Regex> { ["account"] = new("^[a-z]+$") });
        var policy = new StopPolicy(new PathRoots([_temp.Path]), [declared]);
        policy.Check(StopSpec.ForCommand("notify", new Dictionary<string, string> { ["account"] = "chem" }), Trajectory);
        Assert.Throws<ArgumentException>(() => policy.Check(StopSpec.ForCommand("notify", new Dictionary<string, string> { ["account"] = "Chem1" }), Trajectory));
        Assert.Contains("declares the parameter \"unused\"", Assert.Throws<ArgumentException>(() => new StopPolicy(new PathRoots([_temp.Path]),
            [new NamedCommand("x", CommandTemplate.Parse("true"), new Dictionary<string, Regex> { ["unused"] = new(".") })])).Message);
        Assert.Contains("defined twice", Assert.Throws<ArgumentException>(() => Policy("a=true", "a=false")).Message);
    }

    [Fact]
    public async Task A_command_runs_with_the_runs_own_values_as_single_arguments()
    {
        var policy = Policy("mark=touch {dir}/stopped-{jobid}");
        var spec = policy.Check(StopSpec.ForCommand("mark", new Dictionary<string, string> { ["jobid"] = "42" }), Trajectory);
        Directory.CreateDirectory(_temp.File("run"));

        var outcome = await policy.Create(spec).StopAsync(new StopRequest
        {
            RunId = "r", Reason = "operator", RequestedBy = "user:a", Placeholders = StopPolicy.PlaceholdersOf(spec, Trajectory),
        });

        Assert.True(outcome.Success, outcome.Error);
        Assert.True(File.Exists(_temp.File("run/stopped-42")));
    }

    [Fact]
    public void A_stop_file_is_taken_from_the_trajectorys_folder_and_must_stay_under_the_roots()
    {
        var policy = Policy();
        Assert.Equal(_temp.File("run/STOP"), policy.Check(StopSpec.ForFile("STOP"), Trajectory).File);
        Assert.Contains("outside the server's data roots", Assert.Throws<ArgumentException>(() => policy.Check(StopSpec.ForFile("/etc/STOP"), Trajectory)).Message);
        Assert.Contains("contains '..'", Assert.Throws<ArgumentException>(() => policy.Check(StopSpec.ForFile("../../STOP"), Trajectory)).Message);
        Assert.Contains("exactly one of", Assert.Throws<ArgumentException>(() => policy.Check(new StopSpec { File = "STOP", Command = "x" }, Trajectory)).Message);
    }

    [Fact]
    public void Only_the_servers_own_processes_that_match_the_pattern_may_be_signalled()
    {
        var policy = Policy();
        using var sleeper = Process.Start("sleep", "30");
        using var other = Process.Start(new ProcessStartInfo("cat") { RedirectStandardInput = true })!; // ours, but not an allowed program
        try
        {
            Assert.Equal("TERM", policy.Check(StopSpec.ForSignal(sleeper.Id), Trajectory).Signal);
            Assert.Contains($"pid {other.Id} runs cat, which --signal-allow 'sleep' does not name", Assert.Throws<ArgumentException>(() => policy.Check(StopSpec.ForSignal(other.Id), Trajectory)).Message);
            // Never the server itself (here: the test process) or what it runs under, whatever the pattern.
            var anything = new StopPolicy(new PathRoots([_temp.Path]), signals: new ProcessGuard(new Regex(".*")));
            Assert.Contains("the server itself or a process it runs under", Assert.Throws<ArgumentException>(() => anything.Check(StopSpec.ForSignal(Environment.ProcessId), Trajectory)).Message);
            Assert.Contains("pid 1 is refused", Assert.Throws<ArgumentException>(() => policy.Check(StopSpec.ForSignal(1), Trajectory)).Message);
            Assert.Contains("unknown signal 'BOOM'", Assert.Throws<ArgumentException>(() => policy.Check(StopSpec.ForSignal(sleeper.Id, "BOOM"), Trajectory)).Message);
            if (ProcessIdentity.CurrentUser != 0)
                Assert.Contains("belongs to another user", Assert.Throws<ArgumentException>(() => policy.Check(StopSpec.ForSignal(FirstProcessOf(0)), Trajectory)).Message);
        }
        finally
        {
            sleeper.Kill();
            other.Kill();
        }
    }

    [Fact]
    public async Task A_pid_that_was_reused_by_another_program_is_not_signalled()
    {
        var guard = new ProcessGuard(new Regex("sleep"));
        using var impostor = Process.Start(new ProcessStartInfo("cat") { RedirectStandardInput = true })!;
        try
        {
            var outcome = await new SignalStrategy(impostor.Id.ToString(), UnixSignal.Term, guard).StopAsync(new StopRequest { RunId = "r", Reason = "operator", RequestedBy = "user:a" });
            Assert.False(outcome.Success);
            Assert.Contains("does not name", outcome.Error);
            Assert.False(impostor.HasExited);
        }
        finally
        {
            impostor.Kill();
        }
    }

    private static int FirstProcessOf(int uid) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Select(n => int.TryParse(n, out int pid) ? pid : 0)
            .First(pid => pid > 1 && ProcessIdentity.OwnerOf(pid) == uid);
}
