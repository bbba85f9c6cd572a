using System.Diagnostics;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Control;

/// <summary>The stop file against the real engine: the shipped LJ quench halts cleanly once it appears.</summary>
[Trait("Category", "Slow")]
public sealed class LammpsStopFileTests : IDisposable
{
    private const int DumpEvery = 100;
    /// <summary>About a minute of this run: only the stop file can end it within the test, and an orphan does not linger.</summary>
    private const int RunSteps = 200_000;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TheQuenchHaltsCleanlyWithinAFewFramesOfTheStopFile()
    {
        var dump = _temp.File("dump.lammpstrj");
        var log = _temp.File("log.lammps");
        // The input watches `variable halt index STOP` (relative to lmp's directory) with
        // `fix halt all halt ${dump_every} v_stop > 0 error soft`. A later -log replaces the helper's "-log none".
        var arguments = Lammps.QuenchArguments(dump, meltSteps: 200, runSteps: RunSteps, dumpEvery: DumpEvery);
        arguments.AddRange(["-log", log]);
        using var lmp = ExternalProcess.Start("lmp", arguments, _temp.Path);
        try
        {
            await WaitForFramesAsync(lmp, dump, 2, TimeSpan.FromSeconds(15));

            var outcome = await new StopFileStrategy(_temp.File("STOP")).StopAsync(Requests.For("lj-quench"));
            int framesAtStop = CountFrames(dump);

            Assert.True(outcome.Success, outcome.Error);
            Assert.True(lmp.WaitForExit(TimeSpan.FromSeconds(10)), "lmp did not halt within 10 s of the stop file");
            Assert.Equal(0, lmp.ExitCode);
            Assert.Contains("Fix halt condition for fix-id halt met on step", File.ReadAllText(log));

            using var reader = TrajectoryReader.Open(dump);
            var steps = reader.ReadAll().Select(frame => { using (frame) return frame.Step; }).ToList();
            Assert.InRange(steps.Count, framesAtStop, framesAtStop + 3);
            Assert.Equal(Enumerable.Range(0, steps.Count).Select(i => (long)i * DumpEvery), steps);
        }
        finally
        {
            if (!lmp.HasExited) lmp.Kill();
        }
    }

    private static async Task WaitForFramesAsync(Process lmp, string dump, int frames, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (CountFrames(dump) < frames)
        {
            if (lmp.HasExited)
                Assert.Fail($"lmp exited with {lmp.ExitCode} before writing {frames} frames: {await lmp.StandardError.ReadToEndAsync()}");
            Assert.True(clock.Elapsed < timeout, $"lmp wrote fewer than {frames} frames in {timeout.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    /// <summary>Frames begun so far; LAMMPS flushes each frame whole, so a header means a frame.</summary>
    private static int CountFrames(string dump)
    {
        if (!File.Exists(dump)) return 0;
        using var stream = new FileStream(dump, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var text = new StreamReader(stream);
        int frames = 0;
        while (text.ReadLine() is { } line)
            if (line.StartsWith("ITEM: TIMESTEP", StringComparison.Ordinal)) frames++;
        return frames;
    }
}
