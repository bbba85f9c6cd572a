using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Grains.Tests.Runs;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Grains.Tests.Control;

/// <summary>
/// The signal strategy against the real engine: a run grain following a live <c>gmx mdrun</c> XTC stops it with
/// SIGTERM, and mdrun ends by itself at a neighbour-search step with a checkpoint and a whole trajectory.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class GromacsSignalStopTests : IDisposable
{
    /// <summary>About a quarter of an hour of this run on one core: only the signal can end it within the test.</summary>
    private const long Steps = 1_000_000;

    /// <summary>
    /// Pair-list steps as mdrun's <c>-nstlist</c>, equal to the input's XTC interval: mdrun stops on a pair-list step,
    /// so the stop step is also a frame. Left alone, mdrun picks nstlist from the hardware.
    /// </summary>
    private const int PairListSteps = 20;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _temp = new("streammonitor-gromacs-stop-");
    private Process? _mdrun;

    public void Dispose()
    {
        if (_mdrun is { HasExited: false } running)
        {
            running.Kill();
            running.WaitForExit(TimeSpan.FromSeconds(5));
        }
        _mdrun?.Dispose();
        _temp.Dispose();
    }

    [MdrunFact]
    public async Task Sigterm_from_the_run_grain_ends_mdrun_at_a_checkpoint_with_every_frame_whole()
    {
        var tpr = GromacsWaterInput.Prepare(_temp.Path, Steps);
        var xtc = _temp.File("traj.xtc");
        var log = _temp.File("md.log");
        var checkpoint = _temp.File("state.cpt");
        await using var silo = await MonitorSilo.StartAsync(_temp.File("runs.db"));

        var started = DateTime.UtcNow;
        _mdrun = Gromacs.Start(_temp.Path, "mdrun", "-nt", "1", "-nstlist", PairListSteps.ToString(CultureInfo.InvariantCulture),
            "-s", tpr, "-x", xtc, "-g", log, "-cpo", checkpoint);
        // Drained from the start: mdrun would block on a full pipe, and its stderr explains a failure.
        var stderr = _mdrun.StandardError.ReadToEndAsync();
        _ = _mdrun.StandardOutput.ReadToEndAsync();

        var run = silo.Grains.GetGrain<IRunGrain>("gromacs-water");
        await run.Register(new RunConfig { TrajectoryPath = xtc, Format = "xtc", Stop = StopSpec.ForSignal(_mdrun.Id), EndAfterStop = TimeSpan.FromSeconds(2) }, Actor.Server);
        await WaitForFramesAsync(run, 3, stderr);

        Assert.False(_mdrun.HasExited, "mdrun ended before it was stopped");
        var stop = await run.Stop(new Actor("user:test"));

        Assert.Equal(RunEventKinds.Stop, stop.Kind);
        Assert.Equal($"sent SIGTERM to pid {_mdrun.Id}", stop.Message);
        Assert.Equal("signal", stop.Labels["strategy"]);
        Assert.Equal("succeeded", stop.Labels["outcome"]);
        Assert.Equal("user:test", stop.Labels["by"]);
        Assert.Equal(RunState.Stopping, (await run.GetStatus()).State);

        Assert.True(_mdrun.WaitForExit(Patience), $"mdrun was still running {Patience.TotalSeconds} s after SIGTERM");
        // mdrun's exit status is its stop condition, which TERM sets to "at the next pair-list step" (1); 0 means it ran
        // all its steps, and death by the signal itself would read 128 + 15.
        Assert.True(_mdrun.ExitCode == 1, $"mdrun exited with {_mdrun.ExitCode}: {await stderr}");

        var logText = await File.ReadAllTextAsync(log);
        Assert.Contains($"Received the TERM signal, stopping within {PairListSteps} steps", logText);
        var checkpointLine = CheckpointLine().Match(logText);
        Assert.True(checkpointLine.Success, "md.log does not say that mdrun wrote a checkpoint");
        long stopStep = long.Parse(checkpointLine.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(File.Exists(checkpoint), "mdrun wrote no checkpoint");
        Assert.True(File.GetLastWriteTimeUtc(checkpoint) >= started, "the checkpoint is older than the run");

        // Read to the end without following, so a cut-off last frame would throw instead of waiting for more bytes.
        List<long> steps;
        using (var reader = TrajectoryReader.Open(xtc))
            steps = reader.ReadAll().Select(frame => { using (frame) return frame.Step; }).ToList();
        Assert.Equal(Enumerable.Range(0, steps.Count).Select(i => (long)i * PairListSteps), steps);
        Assert.Equal(stopStep, steps[^1]);

        // The live tailer saw the same frames, the last ones written after the stop included.
        var status = await WaitForFramesAsync(run, steps.Count, stderr);
        Assert.Equal(steps.Count, status.FramesProcessed);
        Assert.Null(status.LastError);
        Assert.Equal(new FileInfo(xtc).Length, status.Checkpoint!.ByteOffset);
        // Once mdrun's file has stopped growing, the run ends as stopped and lets go of it.
        var clock = Stopwatch.StartNew();
        while ((status = await run.GetStatus()).State == RunState.Stopping && clock.Elapsed < Patience) await Task.Delay(100);
        Assert.Equal(RunState.Stopped, status.State);
        Assert.NotNull(status.EndedAt);
        Assert.Contains("has not grown for 2 s since the stop", status.Reason);
        Assert.Equal(stopStep, (await run.GetRecentSummaries())[^1].Step);
    }

    private async Task<RunStatus> WaitForFramesAsync(IRunGrain run, long frames, Task<string> stderr)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await run.GetStatus();
            Assert.True(status.State != RunState.Failed, $"the run failed: {status.LastError}");
            if (status.FramesProcessed >= frames) return status;
            if (_mdrun!.HasExited && status.FramesProcessed == 0)
                Assert.Fail($"mdrun exited with {_mdrun.ExitCode} before writing a frame: {await stderr}");
            Assert.True(clock.Elapsed < Patience, $"only {status.FramesProcessed} of {frames} frames after {Patience.TotalSeconds} s");
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"Writing checkpoint, step (\d+) at")]
    private static partial Regex CheckpointLine();
}
