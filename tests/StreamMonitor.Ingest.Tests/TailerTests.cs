using System.Diagnostics;
using StreamMonitor.Core;
using StreamMonitor.Ingest.Tailing;
using StreamMonitor.Ingest.Tests.Fixtures;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Ingest.Tests;

/// <summary>Tailing files that a real LAMMPS run is writing, and the file events a tailer must notice.</summary>
[Collection(LammpsCollection.Name)]
[Trait("Category", "Slow")]
public sealed class TailerTests(LammpsTrajectories lammps) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static TailOptions Live(bool events = true) => new()
    {
        Follow = true,
        UseFileSystemEvents = events,
        PollInterval = TimeSpan.FromMilliseconds(events ? 250 : 25),
        IdleTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Reads from the tailer until lmp has exited and every byte of the dump was delivered.</summary>
    private static async Task<List<FrameAssert.Snapshot>> CollectWhileRunning(Process lmp, string dump, TrajectoryTailer tailer, CancellationTokenSource cts)
    {
        var frames = new List<FrameAssert.Snapshot>();
        long delivered = 0;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var finished = Task.Run(async () =>
        {
            await lmp.WaitForExitAsync(cts.Token);
            while (Volatile.Read(ref delivered) < new FileInfo(dump).Length) await Task.Delay(20, cts.Token);
            await done.CancelAsync();
        });
        try
        {
            await foreach (var item in tailer.Items.ReadAllAsync(done.Token))
            {
                Assert.Null(item.Event);
                using (item.Frame) frames.Add(FrameAssert.Snapshot.Of(item.Frame!));
                Volatile.Write(ref delivered, item.After!.ByteOffset);
            }
        }
        catch (OperationCanceledException) when (!cts.IsCancellationRequested)
        {
        }
        await finished;
        Assert.Equal(0, lmp.ExitCode);
        return frames;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryFrameOfARunningLammpsIsDeliveredOnceAndEqualsTheFinishedFile(bool fileSystemEvents)
    {
        var dump = _temp.File("live.lammpstrj");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var tailer = TrajectoryTailer.Start(dump, Live(fileSystemEvents), cancellationToken: cts.Token);
        using var lmp = Lammps.StartQuench(_temp.Path, dump, cells: 5, runSteps: 3000, dumpEvery: 100);
        var live = await CollectWhileRunning(lmp, dump, tailer, cts);
        await cts.CancelAsync();
        FrameAssert.Equal(FrameAssert.ReadAll(dump), live);
        Assert.Equal(31, live.Count);
    }

    [Fact]
    public async Task KillingAndResumingTheTailerAtRandomPointsLosesAndRepeatsNoFrame()
    {
        var dump = _temp.File("resume.lammpstrj");
        using var lmp = Lammps.StartQuench(_temp.Path, dump, cells: 5, runSteps: 4000, dumpEvery: 50);
        var random = new Random(2024);
        var got = new List<FrameAssert.Snapshot>();
        Checkpoint? checkpoint = null;
        int sessions = 0;
        using var overall = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            // Each session reads a random number of frames (or for a random time) and is then killed.
            sessions++;
            using var session = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
            session.CancelAfter(TimeSpan.FromMilliseconds(random.Next(50, 400)));
            var options = Live() with { ChannelCapacity = random.Next(1, 4) };
            var tailer = TrajectoryTailer.Start(dump, options, checkpoint, session.Token);
            int budget = random.Next(1, 6);
            try
            {
                await foreach (var item in tailer.Items.ReadAllAsync(session.Token))
                {
                    Assert.Null(item.Event);
                    using (item.Frame) got.Add(FrameAssert.Snapshot.Of(item.Frame!));
                    checkpoint = item.After;
                    if (--budget == 0) break;
                }
            }
            catch (OperationCanceledException)
            {
            }
            await session.CancelAsync();
            await tailer.Completion;
            if (lmp.HasExited && checkpoint is not null && checkpoint.ByteOffset == new FileInfo(dump).Length) break;
        }
        Assert.Equal(0, lmp.ExitCode);
        Assert.True(sessions > 10, $"only {sessions} sessions");
        FrameAssert.Equal(FrameAssert.ReadAll(dump), got);
    }

    [Fact]
    public async Task ASlowConsumerHoldsTheReaderBackInsteadOfBuffering()
    {
        var frames = FrameAssert.ReadAll(lammps.Quench);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var tailer = TrajectoryTailer.Start(lammps.Quench, new TailOptions { ChannelCapacity = 2 }, cancellationToken: cts.Token);
        for (var deadline = DateTime.UtcNow.AddSeconds(20); tailer.Items.Count < 2 && DateTime.UtcNow < deadline;) await Task.Delay(20);
        await Task.Delay(300);
        Assert.Equal(2, tailer.Items.Count);
        Assert.False(tailer.Completion.IsCompleted, "the reader must wait for the consumer");
        var got = new List<FrameAssert.Snapshot>();
        await foreach (var item in tailer.Items.ReadAllAsync(cts.Token))
        {
            Assert.True(tailer.Items.Count <= 2);
            using (item.Frame) got.Add(FrameAssert.Snapshot.Of(item.Frame!));
        }
        FrameAssert.Equal(frames, got);
    }

    [Fact]
    public async Task AFileReplacedMidRunIsReportedAndReadFromItsFirstFrame()
    {
        var bytes = File.ReadAllBytes(lammps.Quench);
        var frames = FrameAssert.ReadAll(lammps.Quench);
        var path = _temp.File("replaced.lammpstrj");
        File.WriteAllBytes(path, bytes[..(int)frames[5].ByteOffset]);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var tailer = TrajectoryTailer.Start(path, Live() with { PollInterval = TimeSpan.FromMilliseconds(20) }, cancellationToken: cts.Token);
        for (int i = 0; i < 5; i++)
            using ((await tailer.Items.ReadAsync(cts.Token)).Frame) { }

        // A restarted run: a new file (new inode) moved over the old path, with only its first 3 frames so far.
        var fresh = _temp.File("fresh.tmp");
        File.WriteAllBytes(fresh, bytes[..(int)frames[3].ByteOffset]);
        File.Move(fresh, path, overwrite: true);

        var e = (await tailer.Items.ReadAsync(cts.Token)).Event;
        Assert.NotNull(e);
        Assert.Equal(TrajectoryEventKind.Replaced, e.Kind);
        Assert.Equal(new TrajectoryPosition(frames[5].ByteOffset, 5), e.Before);
        for (int i = 0; i < 3; i++)
        {
            var item = await tailer.Items.ReadAsync(cts.Token);
            using (item.Frame) FrameAssert.Equal(frames[i], FrameAssert.Snapshot.Of(item.Frame!));
        }
        await cts.CancelAsync();
    }

    [Fact]
    public async Task AFileTruncatedAndRewrittenInPlaceIsReportedAndReadAgain()
    {
        var bytes = File.ReadAllBytes(lammps.Quench);
        var frames = FrameAssert.ReadAll(lammps.Quench);
        var path = _temp.File("truncated.lammpstrj");
        File.WriteAllBytes(path, bytes[..(int)frames[4].ByteOffset]);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var tailer = TrajectoryTailer.Start(path, Live() with { PollInterval = TimeSpan.FromMilliseconds(20) }, cancellationToken: cts.Token);
        for (int i = 0; i < 4; i++)
            using ((await tailer.Items.ReadAsync(cts.Token)).Frame) { }

        // LAMMPS restarted with the same file name: fopen("w") truncates the same inode, then writes anew.
        using (var stream = new FileStream(path, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite))
            stream.Write(bytes, 0, (int)frames[2].ByteOffset);

        var e = (await tailer.Items.ReadAsync(cts.Token)).Event;
        Assert.NotNull(e);
        Assert.Equal(TrajectoryEventKind.Truncated, e.Kind);
        for (int i = 0; i < 2; i++)
        {
            var item = await tailer.Items.ReadAsync(cts.Token);
            using (item.Frame) FrameAssert.Equal(frames[i], FrameAssert.Snapshot.Of(item.Frame!));
        }
        await cts.CancelAsync();
    }

    [Fact]
    public async Task AFileThatDoesNotExistYetIsWaitedFor()
    {
        var path = _temp.File("later.lammpstrj");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var tailer = TrajectoryTailer.Start(path, Live() with { PollInterval = TimeSpan.FromMilliseconds(20) }, cancellationToken: cts.Token);
        await Task.Delay(200);
        Assert.False(tailer.Completion.IsCompleted);
        File.Copy(lammps.Quench, path);
        var item = await tailer.Items.ReadAsync(cts.Token);
        using (item.Frame) Assert.Equal(0, item.Frame!.Index);
        await cts.CancelAsync();
    }

    [Theory]
    [InlineData("plain.lammpstrj")]
    [InlineData("packed.lammpstrj.gz")]
    public void AnOpenReaderDoesNotStopAWriterThatWantsTheFileToItself(string name)
    {
        var path = _temp.File(name);
        if (name.EndsWith(".gz"))
        {
            using var gz = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest);
            using var source = File.OpenRead(lammps.Quench);
            source.CopyTo(gz);
        }
        else File.Copy(lammps.Quench, path);
        using var reader = TrajectoryReader.Open(path);
        using (var frame = reader.Read()) Assert.NotNull(frame);

        // .NET on Unix emulates FileShare.None with flock; a monitor holding a shared lock would make this throw.
        using (var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            Assert.True(exclusive.Length > 0);
        File.Copy(lammps.Quench, path, overwrite: true);
    }

    [Fact]
    public async Task ACheckpointOfAnotherFileIsReportedAndReadingStartsOver()
    {
        var path = _temp.File("copy.lammpstrj");
        File.Copy(lammps.Quench, path);
        var frames = FrameAssert.ReadAll(path);
        using var original = TrajectoryReader.Open(lammps.Quench);
        var foreign = original.Checkpoint with { ByteOffset = frames[3].ByteOffset, FrameIndex = 3 };
        var tailer = TrajectoryTailer.Start(path, new TailOptions(), foreign);
        var items = new List<TrajectoryItem>();
        await foreach (var item in tailer.Items.ReadAllAsync()) items.Add(item);
        Assert.Equal(TrajectoryEventKind.CheckpointMismatch, items[0].Event!.Kind);
        Assert.Equal(frames.Count, items.Count - 1);
        foreach (var item in items.Skip(1)) item.Frame!.Dispose();

        // The file's own checkpoint resumes exactly after its frame.
        using var own = TrajectoryReader.Open(path);
        var resume = own.Checkpoint with { ByteOffset = frames[3].ByteOffset, FrameIndex = 3 };
        var resumed = TrajectoryTailer.Start(path, new TailOptions(), resume);
        var rest = new List<FrameAssert.Snapshot>();
        await foreach (var item in resumed.Items.ReadAllAsync())
            using (item.Frame) rest.Add(FrameAssert.Snapshot.Of(item.Frame!));
        FrameAssert.Equal(frames.Skip(3).ToList(), rest);
    }
}
