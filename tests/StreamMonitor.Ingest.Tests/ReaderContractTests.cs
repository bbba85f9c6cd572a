using System.IO.Compression;
using StreamMonitor.Core;
using StreamMonitor.Ingest.Tailing;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Ingest.Tests;

/// <summary>
/// What every format's reader must do, run once per format: each subclass supplies a real file of its format.
/// </summary>
public abstract class ReaderContractTests : IDisposable
{
    protected TempDirectory Temp { get; } = new();

    /// <summary>A finished, valid file of the format with at least three frames.</summary>
    protected abstract string ReferenceFile { get; }

    protected abstract TrajectoryFormat Format { get; }

    public void Dispose() => Temp.Dispose();

    [Fact]
    public void FramesAreNumberedInOrderAndTileTheFile()
    {
        var frames = FrameAssert.ReadAll(ReferenceFile);
        Assert.True(frames.Count >= 3, $"reference file has only {frames.Count} frames");
        long offset = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.Equal(i, frames[i].Index);
            Assert.Equal(offset, frames[i].ByteOffset);
            Assert.True(frames[i].ByteLength > 0);
            offset += frames[i].ByteLength;
        }
        Assert.True(new FileInfo(ReferenceFile).Length - offset is >= 0 and <= 2, "frames must cover the file");
    }

    [Fact]
    public void FormatIsDetectedFromContentWhateverTheFileIsCalled()
    {
        var renamed = Temp.File("trajectory.bin");
        File.Copy(ReferenceFile, renamed);
        using var reader = TrajectoryReader.Open(renamed);
        Assert.Same(Format, reader.Format);
    }

    [Fact]
    public void AFrameIsIncompleteUntilItsLastByteArrives()
    {
        var bytes = File.ReadAllBytes(ReferenceFile);
        var frames = FrameAssert.ReadAll(ReferenceFile);
        var second = frames[1];
        var growing = Temp.File("growing" + Path.GetExtension(ReferenceFile));
        int end = (int)(second.ByteOffset + second.ByteLength);
        // The first frame whole, then the second one byte at a time near its end and in steps elsewhere.
        File.WriteAllBytes(growing, bytes[..(int)second.ByteOffset]);
        using var reader = TrajectoryReader.Open(growing, Format);
        Assert.Equal(ReadStatus.Frame, reader.TryRead(out var first));
        first!.Dispose();
        using var append = new FileStream(growing, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        int pos = (int)second.ByteOffset;
        while (pos < end)
        {
            int step = end - pos <= 64 ? 1 : Math.Max(1, (end - pos) / 7);
            append.Write(bytes, pos, step);
            append.Flush();
            pos += step;
            var status = reader.TryRead(out var frame);
            if (pos < end)
            {
                Assert.Equal(ReadStatus.Incomplete, status);
                continue;
            }
            Assert.Equal(ReadStatus.Frame, status);
            using (frame) FrameAssert.Equal(second, FrameAssert.Snapshot.Of(frame!));
        }
    }

    [Fact]
    public void SeekingToAFramePositionReadsTheSameFrames()
    {
        var frames = FrameAssert.ReadAll(ReferenceFile);
        using var reader = TrajectoryReader.Open(ReferenceFile);
        foreach (int k in new[] { frames.Count - 1, 1, 0, frames.Count / 2 })
        {
            reader.Seek(new TrajectoryPosition(frames[k].ByteOffset, k));
            using var frame = reader.Read();
            FrameAssert.Equal(frames[k], FrameAssert.Snapshot.Of(frame!));
        }
    }

    [Fact]
    public void SeekFrameJumpsToAnyFrameAndReportsFramesThatAreNotThere()
    {
        var frames = FrameAssert.ReadAll(ReferenceFile);
        using var reader = TrajectoryReader.Open(ReferenceFile);
        // Forward past frames never read, back through the index, forward again from the last known one.
        foreach (int k in new[] { 2, 0, frames.Count - 1, 1, frames.Count - 2 })
        {
            Assert.True(reader.SeekFrame(k));
            using var frame = reader.Read();
            FrameAssert.Equal(frames[k], FrameAssert.Snapshot.Of(frame!));
        }
        Assert.Equal(frames.Count, reader.Index.Count);
        Assert.False(reader.SeekFrame(frames.Count));
        Assert.Null(reader.Read());
        Assert.True(reader.SeekFrame(0));
        Assert.Equal(frames.Count, reader.ReadAll().Select(f => { f.Dispose(); return 1; }).Sum());
    }

    [Fact]
    public void ATruncatedLastFrameOfAFinishedFileIsAnErrorNamingItsFrameAndOffset()
    {
        var frames = FrameAssert.ReadAll(ReferenceFile);
        var last = frames[^1];
        var cut = Temp.File("cut" + Path.GetExtension(ReferenceFile));
        File.WriteAllBytes(cut, File.ReadAllBytes(ReferenceFile)[..(int)(last.ByteOffset + last.ByteLength / 2)]);
        using var reader = TrajectoryReader.Open(cut, Format);
        var e = Assert.Throws<TrajectoryFormatException>(() => { foreach (var f in reader.ReadAll()) f.Dispose(); });
        Assert.Equal(frames.Count - 1, e.FrameIndex);
        Assert.Equal(last.ByteOffset, e.ByteOffset);
        Assert.Contains("truncated", e.Message);
        Assert.Contains(cut, e.Message);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task TailingTheFileWhileItIsWrittenInRandomChunksDeliversEveryFrameOnce()
    {
        var expected = FrameAssert.ReadAll(ReferenceFile);
        var bytes = File.ReadAllBytes(ReferenceFile);
        var live = Temp.File("live" + Path.GetExtension(ReferenceFile));
        File.WriteAllBytes(live, []);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var tailer = TrajectoryTailer.Start(live, new TailOptions { Format = Format, Follow = true, PollInterval = TimeSpan.FromMilliseconds(20), IdleTimeout = TimeSpan.FromSeconds(3) }, cancellationToken: cts.Token);
        var writer = Task.Run(async () =>
        {
            var random = new Random(17);
            using var stream = new FileStream(live, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            for (int pos = 0; pos < bytes.Length;)
            {
                int n = Math.Min(bytes.Length - pos, random.Next(1, bytes.Length / 10));
                stream.Write(bytes, pos, n);
                stream.Flush();
                pos += n;
                await Task.Delay(random.Next(0, 15));
            }
        });
        var got = new List<FrameAssert.Snapshot>();
        await foreach (var item in tailer.Items.ReadAllAsync(cts.Token))
        {
            Assert.Null(item.Event);
            using (item.Frame) got.Add(FrameAssert.Snapshot.Of(item.Frame!));
        }
        await writer;
        await tailer.Completion;
        FrameAssert.Equal(expected, got);
    }
}

/// <summary>The contract plus what text formats add: transparent gzip.</summary>
public abstract class TextReaderContractTests : ReaderContractTests
{
    [Fact]
    public void GzipCompressedFilesReadTheSame()
    {
        var gz = Temp.File(Path.GetFileName(ReferenceFile) + ".gz");
        using (var output = File.Create(gz))
        using (var zip = new GZipStream(output, CompressionLevel.Fastest))
            zip.Write(File.ReadAllBytes(ReferenceFile));
        FrameAssert.Equal(FrameAssert.ReadAll(ReferenceFile), FrameAssert.ReadAll(gz));
    }
}
