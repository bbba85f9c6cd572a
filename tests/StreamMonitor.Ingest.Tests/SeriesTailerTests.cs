using StreamMonitor.Core;
using StreamMonitor.Ingest.Tailing;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Ingest.Tests;

/// <summary>A run written as one file per snapshot (LAMMPS <c>dump.*.lammpstrj</c>) read as one trajectory.</summary>
[Trait("Category", "Slow")]
public sealed class SeriesTailerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void FilesOfASeriesComeInNaturalOrderAndOnlyThoseTheGlobNames()
    {
        foreach (var name in new[] { "d.1000.lammpstrj", "d.0.lammpstrj", "d.900.lammpstrj", "d.95.lammpstrj", "d.x.txt", "e.5.lammpstrj" })
            File.WriteAllText(_temp.File(name), "");
        var series = new FileSeries(_temp.File("d.*.lammpstrj"));
        Assert.Equal(["d.0.lammpstrj", "d.95.lammpstrj", "d.900.lammpstrj", "d.1000.lammpstrj"], series.List().Select(Path.GetFileName));
        Assert.Equal(_temp.File("d.1000.lammpstrj"), series.After(_temp.File("d.900.lammpstrj")));
        Assert.Null(series.After(_temp.File("d.1000.lammpstrj")));
        Assert.True(series.Matches(_temp.File("d.7.lammpstrj")));
        Assert.False(series.Matches(_temp.File("e.7.lammpstrj")));
        Assert.Equal(["e.5.lammpstrj"], new FileSeries(_temp.File("[e-f].?.lammpstrj")).List().Select(Path.GetFileName));
        Assert.True(FileSeries.IsPattern("run/traj.part*.xtc"));
        Assert.False(FileSeries.IsPattern("run/traj.xtc"));
        Assert.Throws<ArgumentException>(() => new FileSeries(Path.Combine(_temp.Path, "*", "d.lammpstrj")));
    }

    [Fact]
    public async Task AFinishedSeriesReadsAsTheSingleFileOfTheSameRunWithFrameIndicesRunningOn()
    {
        var single = Lammps.RunQuench(_temp.Path, "one.lammpstrj", runSteps: 1000, dumpEvery: 100);
        ExternalProcess.Run("lmp", Lammps.QuenchArguments(_temp.File("snap.*.lammpstrj"), runSteps: 1000, dumpEvery: 100), _temp.Path);
        var expected = FrameAssert.ReadAll(single);

        var items = await Collect(new FileSeries(_temp.File("snap.*.lammpstrj")), new TailOptions());
        Assert.Equal(expected.Count, items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            var (frame, after) = items[i];
            Assert.Equal(i, frame.Index);
            Assert.Equal(expected[i].Step, frame.Step);
            Assert.Equal(expected[i].X, frame.X);
            Assert.Equal(_temp.File($"snap.{100 * i}.lammpstrj"), after.Path);
            Assert.Equal(i + 1, after.FrameIndex);
            Assert.Equal(new FileInfo(after.Path).Length, after.ByteOffset);
        }

        // A checkpoint in the middle resumes with the next file and the next frame index.
        var resumed = await Collect(new FileSeries(_temp.File("snap.*.lammpstrj")), new TailOptions(), items[4].After);
        Assert.Equal(Enumerable.Range(5, expected.Count - 5).Select(i => (long)i), resumed.Select(r => r.Frame.Index));
        Assert.Equal(expected[5].Step, resumed[0].Frame.Step);
    }

    [Fact]
    public async Task AGoneCheckpointFileAndACutPartAreReportedAndTheSeriesGoesOn()
    {
        ExternalProcess.Run("lmp", Lammps.QuenchArguments(_temp.File("snap.*.lammpstrj"), runSteps: 1000, dumpEvery: 100), _temp.Path);
        var series = new FileSeries(_temp.File("snap.*.lammpstrj"));
        var all = await Collect(series, new TailOptions());
        var expected = all.Select(a => a.Frame.Step).ToList();

        // The part holding the checkpoint was deleted (old parts cleaned up) and a later part was cut mid-frame.
        File.Delete(_temp.File("snap.300.lammpstrj"));
        var cut = _temp.File("snap.600.lammpstrj");
        File.WriteAllBytes(cut, File.ReadAllBytes(cut)[..(int)(new FileInfo(cut).Length / 2)]);
        var items = new List<TrajectoryItem>();
        await foreach (var item in SeriesTailer.FollowAsync(series, new TailOptions(), all[3].After))
        {
            items.Add(item);
            item.Frame?.Dispose();
        }

        var skipped = items.Where(i => i.Event is not null).Select(i => i.Event!).ToList();
        Assert.Equal([TrajectoryEventKind.Skipped, TrajectoryEventKind.Skipped], skipped.Select(e => e.Kind));
        Assert.Equal(_temp.File("snap.300.lammpstrj"), skipped[0].Path);
        Assert.Equal(cut, skipped[1].Path);
        Assert.Contains("truncated frame", skipped[1].Message);
        var frames = items.Where(i => i.Frame is not null).ToList();
        // Frames 4, 5, then 6's part is cut, then 7..10; indices run on from the checkpoint.
        Assert.Equal([4L, 5, 6, 7, 8, 9], frames.Select(f => f.Frame!.Index));
        Assert.Equal([400L, 500, 700, 800, 900, 1000], frames.Select(f => f.Frame!.Step));
    }

    [Fact]
    public async Task ARunningLammpsWritingASnapshotPerFileIsFollowedFrameByFrame()
    {
        var pattern = _temp.File("live.*.lammpstrj");
        using var lmp = ExternalProcess.Start("lmp", Lammps.QuenchArguments(pattern, runSteps: 6000, dumpEvery: 200), _temp.Path);
        // Idle for 10 s ends the series: long enough for lmp to start on a loaded machine.
        var options = new TailOptions { Follow = true, PollInterval = TimeSpan.FromMilliseconds(50), IdleTimeout = TimeSpan.FromSeconds(10) };
        var items = await Collect(new FileSeries(pattern), options);

        Assert.True(lmp.HasExited);
        Assert.Equal(0, lmp.ExitCode);
        Assert.Equal(31, items.Count);
        Assert.Equal(Enumerable.Range(0, 31).Select(i => (long)i), items.Select(r => r.Frame.Index));
        Assert.Equal(Enumerable.Range(0, 31).Select(i => 200L * i), items.Select(r => r.Frame.Step));
    }

    private static async Task<List<(FrameAssert.Snapshot Frame, Checkpoint After)>> Collect(FileSeries series, TailOptions options, Checkpoint? resume = null)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var items = new List<(FrameAssert.Snapshot, Checkpoint)>();
        await foreach (var item in SeriesTailer.FollowAsync(series, options, resume, cts.Token))
        {
            Assert.Null(item.Event);
            using (item.Frame) items.Add((FrameAssert.Snapshot.Of(item.Frame!), item.After!));
        }
        return items;
    }
}
