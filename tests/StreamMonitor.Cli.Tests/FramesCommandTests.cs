using System.Diagnostics;
using System.Text.Json;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>The <c>streammonitor frames</c> contract that scripts rely on, checked on the real program.</summary>
[Trait("Category", "Slow")]
public sealed class FramesCommandTests : IClassFixture<FramesCommandTests.Trajectories>, IDisposable
{
    private readonly Trajectories _files;
    private readonly TempDirectory _temp = new();

    public FramesCommandTests(Trajectories files) => _files = files;

    public void Dispose() => _temp.Dispose();

    /// <summary>Real LAMMPS output shared by the tests of this class.</summary>
    public sealed class Trajectories : IDisposable
    {
        private readonly TempDirectory _dir = new("streammonitor-cli-");

        public Trajectories()
        {
            Quench = Lammps.RunQuench(_dir.Path, "quench.lammpstrj", cells: 4, runSteps: 1000, dumpEvery: 100);
            Lammps.RunInput(_dir.Path, Lammps.LjSystem("prism 0 3 0 3 0 3 0.8 -0.5 0.6", density: 0.9, types: 2, temperature: 2.0, seed: 991) + """
                dump d all custom 20 scaled.lammpstrj id type xs ys zs
                run 60
                """);
            Scaled = Path.Combine(_dir.Path, "scaled.lammpstrj");
        }

        public string Quench { get; }

        public string Scaled { get; }

        public void Dispose() => _dir.Dispose();
    }

    private static List<JsonElement> JsonLines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public void JsonHasOneObjectPerFrameWithTheDocumentedKeys()
    {
        var r = StreamMonitorCli.Run("frames", _files.Quench, "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.StandardError);
        var lines = JsonLines(r.StandardOutput);
        Assert.Equal(11, lines.Count);
        for (int i = 0; i < lines.Count; i++)
        {
            var o = lines[i];
            Assert.Equal(["frame", "step", "time", "natoms", "box", "origin"], o.EnumerateObject().Select(p => p.Name));
            Assert.Equal(i, o.GetProperty("frame").GetInt64());
            Assert.Equal(100L * i, o.GetProperty("step").GetInt64());
            Assert.Equal(JsonValueKind.Null, o.GetProperty("time").ValueKind);
            Assert.Equal(256, o.GetProperty("natoms").GetInt32());
            var box = o.GetProperty("box").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            double edge = 4 * Math.Cbrt(4 / 0.95);
            Assert.Equal(edge, box[0][0], 9);
            Assert.Equal(edge, box[1][1], 9);
            Assert.Equal(0.0, box[0][1]);
            Assert.Equal([0.0, 0.0, 0.0], o.GetProperty("origin").EnumerateArray().Select(v => v.GetDouble()));
        }
    }

    [Fact]
    public void PositionsAreCartesianInFileOrderEvenWhenTheFileHasScaledCoordinates()
    {
        var r = StreamMonitorCli.Run("frames", _files.Scaled, "--json", "--positions");
        Assert.Equal(0, r.ExitCode);
        var lines = JsonLines(r.StandardOutput);
        var text = File.ReadAllLines(_files.Scaled);
        Assert.Equal(4, lines.Count);
        for (int f = 0; f < lines.Count; f++)
        {
            var o = lines[f];
            int n = o.GetProperty("natoms").GetInt32();
            var box = o.GetProperty("box").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            var origin = o.GetProperty("origin").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var ids = o.GetProperty("ids").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var types = o.GetProperty("types").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var pos = o.GetProperty("positions").EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            Assert.Equal(n, pos.Length);
            int first = f * (9 + n) + 9;
            for (int a = 0; a < n; a++)
            {
                // Independent conversion: r = origin + xs a + ys b + zs c, from the file's own text.
                var cols = text[first + a].Split(' ');
                Assert.Equal(int.Parse(cols[0]), ids[a]);
                Assert.Equal(int.Parse(cols[1]), types[a]);
                var s = cols[2..5].Select(double.Parse).ToArray();
                for (int k = 0; k < 3; k++)
                    Assert.Equal(origin[k] + s[0] * box[0][k] + s[1] * box[1][k] + s[2] * box[2][k], pos[a][k], 1e-4);
            }
        }
    }

    [Fact]
    public void HumanReadableOutputHasALinePerFrame()
    {
        var r = StreamMonitorCli.Run("frames", _files.Quench);
        Assert.Equal(0, r.ExitCode);
        var lines = r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(11, lines.Length);
        Assert.StartsWith("frame     0  step         0  atoms 256  box ", lines[0]);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("empty")]
    public void ErrorsAreOneLineOnStderrWithANonZeroExitAndNoStackTrace(string kind)
    {
        var path = _temp.File(kind + ".dat");
        string expect;
        switch (kind)
        {
            case "missing":
                expect = "no such file";
                break;
            case "garbage":
                File.WriteAllBytes(path, Enumerable.Range(0, 4000).Select(i => (byte)(i * 7919 % 251)).ToArray());
                expect = "unknown trajectory format";
                break;
            case "truncated":
                var bytes = File.ReadAllBytes(_files.Quench);
                File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
                expect = "frame 10, byte ";
                break;
            default:
                path = _temp.File("empty.lammpstrj");
                File.WriteAllBytes(path, []);
                expect = "empty";
                break;
        }
        var r = StreamMonitorCli.Run("frames", path, "--json");
        Assert.NotEqual(0, r.ExitCode);
        var err = r.StandardError.TrimEnd('\n');
        Assert.Single(err.Split('\n'));
        Assert.StartsWith("streammonitor: " + path, err);
        Assert.Contains(expect, err);
        Assert.DoesNotContain("   at ", r.StandardError);
        if (kind == "truncated") Assert.Equal(10, JsonLines(r.StandardOutput).Count);
    }

    [Fact]
    public void AnUnknownFormatOptionIsAUsageError()
    {
        var r = StreamMonitorCli.Run("frames", _files.Quench, "--format", "pdb");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("pdb", r.StandardError);
        Assert.DoesNotContain("   at ", r.StandardError);
    }

    [Fact]
    public async Task FollowPrintsEachFrameOfARunningLammpsAsItIsWritten()
    {
        var dump = _temp.File("live.lammpstrj");
        using var cli = StreamMonitorCli.Start("frames", dump, "--follow", "--json", "--idle-exit", "4");
        using var lmp = Lammps.StartQuench(_temp.Path, dump, cells: 4, runSteps: 2000, dumpEvery: 100);
        var stdout = await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        await lmp.WaitForExitAsync();
        Assert.Equal(0, cli.ExitCode);
        Assert.Equal(0, lmp.ExitCode);
        var lines = JsonLines(stdout);
        Assert.Equal(21, lines.Count);
        Assert.Equal(Enumerable.Range(0, 21).Select(i => 100L * i), lines.Select(l => l.GetProperty("step").GetInt64()));
    }

    [Fact]
    public async Task StoppingAndRestartingWithACheckpointPrintsEveryFrameExactlyOnce()
    {
        var dump = _temp.File("cp.lammpstrj");
        var checkpoint = _temp.File("cp.json");
        using var lmp = Lammps.StartQuench(_temp.Path, dump, cells: 4, runSteps: 3000, dumpEvery: 50);
        var steps = new List<long>();
        var random = new Random(99);
        int runs = 0;
        while (true)
        {
            runs++;
            bool last = lmp.HasExited;
            using var cli = StreamMonitorCli.Start("frames", dump, "--follow", "--json", "--checkpoint", checkpoint, "--idle-exit", last ? "2" : "30");
            var reading = cli.StandardOutput.ReadToEndAsync();
            if (!last)
            {
                await Task.Delay(random.Next(300, 1200));
                // SIGTERM: the program finishes the frame in hand, records it, and exits.
                Process.Start("kill", ["-TERM", cli.Id.ToString()])!.WaitForExit();
            }
            var stdout = await reading;
            await cli.WaitForExitAsync();
            // A signal that lands before the handler is installed (during start-up) ends the process before it printed anything.
            Assert.True(cli.ExitCode == 0 || (cli.ExitCode == 143 && stdout.Length == 0), $"exit code {cli.ExitCode}");
            steps.AddRange(JsonLines(stdout).Select(l => l.GetProperty("step").GetInt64()));
            if (last) break;
        }
        Assert.True(runs >= 3, $"only {runs} runs");
        Assert.Equal(Enumerable.Range(0, 61).Select(i => 50L * i), steps);
    }
}
