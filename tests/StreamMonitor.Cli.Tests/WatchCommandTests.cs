using System.Diagnostics;
using System.Text.Json.Nodes;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary><c>streammonitor watch</c> on a LAMMPS run as it happens.</summary>
[Trait("Category", "Slow")]
public sealed class WatchCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task NucleationIsDetectedLiveAndTheStopFileEndsLammpsCleanly()
    {
        // A long quench that would run for minutes: only the rule can end it in time.
        var dump = _temp.File("dump.lammpstrj");
        var stopFile = _temp.File("STOP");
        using var lmp = Lammps.StartQuench(_temp.Path, dump, cells: 10, runSteps: 200_000, dumpEvery: 100);
        try
        {
            var watch = StreamMonitorCli.Run("watch", dump, "--json", "--stop-file", stopFile, "--stop-on", "nucleation", "--idle-exit", "6");
            Assert.True(watch.ExitCode == 0, watch.StandardError);
            var text = watch.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var line in text) ContractSchema.Check(line, "run_update"); // the contract the server's streams and API use too
            var lines = text.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            var frames = Payloads(lines, "summary");
            var events = Payloads(lines, "event");
            // One sequence over summaries and events, from 1, without gaps.
            Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(l => l["sequence"]!.GetValue<long>()));

            var nucleation = Assert.Single(events, e => e["kind"]!.GetValue<string>() == "nucleation");
            var stop = Assert.Single(events, e => e["kind"]!.GetValue<string>() == "stop");
            Assert.True(File.Exists(stopFile));
            Assert.Equal("rule:nucleation", stop["labels"]!["by"]!.GetValue<string>());

            // lmp ends cleanly through fix halt within a few frames of the stop.
            Assert.True(lmp.WaitForExit(TimeSpan.FromSeconds(60)), "lmp did not stop");
            Assert.Equal(0, lmp.ExitCode);
            long stopFrame = stop["frame"]!.GetValue<long>();
            long lastFrame = frames[^1]["frame"]!.GetValue<long>();
            Assert.InRange(lastFrame - stopFrame, 0, 5);

            // Every frame was summarised once, in order, with the documented keys.
            Assert.Equal(Enumerable.Range(0, frames.Count).Select(i => (long)i), frames.Select(f => f["frame"]!.GetValue<long>()));
            foreach (var key in new[] { "frame", "step", "time", "n_max", "class_counts", "latency_ms", "crystalline_fraction" })
                Assert.True(frames[0].ContainsKey(key), $"frame lines lack '{key}'");
            Assert.Equal(4000, frames[0]["count"]!.GetValue<int>());
            Assert.True(frames[^1]["n_max"]!.GetValue<int>() > frames[0]["n_max"]!.GetValue<int>());
            Assert.True(nucleation["frame"]!.GetValue<long>() <= stopFrame);
        }
        finally
        {
            if (!lmp.HasExited) lmp.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void ABadRuleOrStopOptionIsAOneLineError()
    {
        var r = StreamMonitorCli.Run("watch", _temp.File("none.dump"), "--stop-on", "nucleation");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--stop-on needs --stop-file", r.StandardError);
        r = StreamMonitorCli.Run("watch", _temp.File("none.dump"), "--stop-on", "boiling", "--stop-file", _temp.File("STOP"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown event kind 'boiling'", r.StandardError);
        File.WriteAllText(_temp.File("rules.json"), "{ \"nucleation\": { \"consecutive\": \"three\" } }");
        r = StreamMonitorCli.Run("watch", _temp.File("none.dump"), "--rules", _temp.File("rules.json"), "--idle-exit", "1");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("rules.json", r.StandardError);
        Assert.DoesNotContain("   at ", r.StandardError);
    }
    [Fact]
    public void WithAnInterfaceAxisEveryFrameCarriesTheInterfacePositionAndVelocity()
    {
        // The quench grows a crystal out of a seed slab across z (melted long enough for the slab to have a front).
        var dump = _temp.File("slab.lammpstrj");
        ExternalProcess.Run("lmp", Lammps.QuenchArguments(dump, cells: 8, meltSteps: 2000, runSteps: 2000, dumpEvery: 500), _temp.Path);
        var watch = StreamMonitorCli.Run("watch", dump, "--json", "--idle-exit", "1", "--interface-axis", "z", "--time-per-step", "0.005");
        Assert.True(watch.ExitCode == 0, watch.StandardError);
        var frames = Payloads(watch.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()), "summary");
        Assert.Equal(5, frames.Count);
        double boxLength = 8 * Math.Cbrt(4 / 0.95); // lattice fcc 0.95 in the example input
        Assert.All(frames, f => Assert.InRange(f["interface_position"]!.GetValue<double>(), 0, boxLength));
        Assert.Null(frames[0]["interface_velocity"]);
        var velocities = frames.Skip(1).Select(f => f["interface_velocity"]!.GetValue<double>()).ToList();
        Assert.True(velocities.Average() > 0, $"the front should move up as the crystal grows: {string.Join(", ", velocities)}");

        var bad = StreamMonitorCli.Run("watch", dump, "--idle-exit", "1", "--interface-axis", "z", "--interface-geometry", "wedge");
        Assert.Equal(2, bad.ExitCode); // a usage error
        Assert.Contains("interface_geometry", bad.StandardError);
    }

    [Fact]
    public void TheCrystallineClassesAreTheModelsCrystalsUnlessTheRunNamesItsOwn()
    {
        // A urea melt from LAMMPS (the Monitoring tests' fixture): urea-2024 declares only form I a crystal.
        var melt = Path.Combine(RepositoryPaths.Root, "tests", "StreamMonitor.Monitoring.Tests", "Data", "urea", "urea-melt-500K.lammpstrj.gz");
        List<JsonObject> Watch(params string[] extra)
        {
            var r = StreamMonitorCli.Run(["watch", melt, "--model", "urea-2024", "--json", "--idle-exit", "1", .. extra]);
            Assert.True(r.ExitCode == 0, r.StandardError);
            return Payloads(r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()), "summary");
        }
        static string[] Classes(JsonObject f) => f["crystalline_classes"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();

        var declared = Watch();
        Assert.Equal(5, declared.Count);
        Assert.All(declared, f => Assert.Equal(["I"], Classes(f)));
        Assert.All(declared, f => Assert.True(f["crystalline_fraction"]!.GetValue<double>() < 0.02, f.ToJsonString()));

        var named = Watch("--crystalline-classes", "I,out4,out5");
        Assert.All(named, f => Assert.Equal(["I", "out4", "out5"], Classes(f)));
        Assert.True(named.Sum(f => f["crystalline"]!.GetValue<int>()) > declared.Sum(f => f["crystalline"]!.GetValue<int>()));

        var bad = StreamMonitorCli.Run("watch", melt, "--model", "urea-2024", "--idle-exit", "1", "--crystalline-classes", "I,ice");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("crystalline class 'ice'", bad.StandardError);
    }

    /// <summary>The summaries or events of <c>watch --json</c>'s update lines.</summary>
    private static List<JsonObject> Payloads(IEnumerable<JsonObject> updates, string type) =>
        updates.Where(l => l["type"]!.GetValue<string>() == type).Select(l => l[type]!.AsObject()).ToList();
}
