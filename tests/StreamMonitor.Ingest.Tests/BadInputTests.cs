using System.Text;
using StreamMonitor.Ingest.Tailing;
using StreamMonitor.Ingest.Tests.Fixtures;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Ingest.Tests;

/// <summary>Each kind of bad input gets one clear error naming the file, the frame and where in it.</summary>
[Collection(LammpsCollection.Name)]
public sealed class BadInputTests(LammpsTrajectories lammps) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Quench => lammps.Quench;

    /// <summary>The quench dump with line <paramref name="line"/> (1-based) of frame 2 replaced.</summary>
    private string WithFrame2Line(int line, Func<string, string> edit, string name)
    {
        var frames = FrameAssert.ReadAll(Quench);
        var text = File.ReadAllText(Quench);
        var start = (int)frames[2].ByteOffset;
        var lines = text[start..(int)(start + frames[2].ByteLength)].Split('\n');
        lines[line - 1] = edit(lines[line - 1]);
        var path = _temp.File(name);
        File.WriteAllText(path, text[..start] + string.Join('\n', lines) + text[(int)(start + frames[2].ByteLength)..]);
        return path;
    }

    private static TrajectoryFormatException ReadFails(string path, TrajectoryFormat? format = null)
    {
        return Assert.Throws<TrajectoryFormatException>(() =>
        {
            using var reader = TrajectoryReader.Open(path, format);
            foreach (var f in reader.ReadAll()) f.Dispose();
        });
    }

    private long Frame2Offset => FrameAssert.ReadAll(Quench)[2].ByteOffset;

    private long Frame2Line => 1 + 2 * (9 + 500);

    [Fact]
    public void CorruptedNumberNamesFrameLineColumnAndValue()
    {
        var path = WithFrame2Line(12, l => l.Replace('.', ','), "corrupt.lammpstrj");
        var e = ReadFails(path);
        Assert.Equal(2, e.FrameIndex);
        Assert.Equal(Frame2Line + 11, e.Line);
        Assert.True(e.ByteOffset > Frame2Offset);
        Assert.Contains("bad number", e.Message);
        Assert.Contains("column 'x'", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void NanCoordinatesAreRejected()
    {
        var path = WithFrame2Line(20, l => string.Join(' ', l.Split(' ')[..2]) + " nan 1.0 -nan", "nan.lammpstrj");
        var e = ReadFails(path);
        Assert.Equal(2, e.FrameIndex);
        Assert.Equal(Frame2Line + 19, e.Line);
        Assert.Contains("non-finite coordinate 'nan'", e.Message);
    }

    [Fact]
    public void FewerAtomLinesThanTheHeaderSaysIsReported()
    {
        var path = WithFrame2Line(4, _ => "501", "fewer.lammpstrj");
        var e = ReadFails(path);
        Assert.Equal(2, e.FrameIndex);
        Assert.Contains("expected 501 atom lines (NUMBER OF ATOMS), found 500 before 'ITEM: TIMESTEP'", e.Message);
    }

    [Fact]
    public void MoreAtomLinesThanTheHeaderSaysIsReported()
    {
        var path = WithFrame2Line(4, _ => "499", "more.lammpstrj");
        var e = ReadFails(path);
        Assert.Equal(3, e.FrameIndex);
        Assert.Contains("more atom lines than its NUMBER OF ATOMS", e.Message);
    }

    [Fact]
    public void MissingItemSectionIsNamed()
    {
        var frames = FrameAssert.ReadAll(Quench);
        var text = File.ReadAllText(Quench);
        var frame2 = text[(int)frames[2].ByteOffset..(int)(frames[2].ByteOffset + frames[2].ByteLength)];
        var withoutBox = string.Join('\n', frame2.Split('\n').Where((_, i) => i is < 4 or > 7));
        var path = _temp.File("nobox.lammpstrj");
        File.WriteAllText(path, text[..(int)frames[2].ByteOffset] + withoutBox);
        var e = ReadFails(path);
        Assert.Equal(2, e.FrameIndex);
        Assert.Contains("missing ITEM: BOX BOUNDS", e.Message);

        var noAtomsItem = _temp.File("noatoms.lammpstrj");
        var cut = frame2.Split('\n');
        File.WriteAllText(noAtomsItem, text[..(int)frames[2].ByteOffset] + string.Join('\n', cut[..8]) + "\n" + text[(int)frames[3].ByteOffset..]);
        var e2 = ReadFails(noAtomsItem);
        Assert.Equal(2, e2.FrameIndex);
        Assert.Contains("ITEM: TIMESTEP appears again before ITEM: ATOMS", e2.Message);
    }

    [Fact]
    public async Task AnEmptyFileIsAnErrorWhenNotFollowing()
    {
        var path = _temp.File("empty.lammpstrj");
        File.WriteAllBytes(path, []);
        var tailer = TrajectoryTailer.Start(path, new TailOptions());
        var e = await Assert.ThrowsAsync<TrajectoryFormatException>(async () => { await foreach (var _ in tailer.Items.ReadAllAsync()) { } });
        Assert.Contains("empty", e.Message);
        Assert.Contains(path, e.Message);

        var unnamed = _temp.File("empty.dat");
        File.WriteAllBytes(unnamed, []);
        var e2 = Assert.Throws<TrajectoryFormatException>(() => TrajectoryReader.Open(unnamed));
        Assert.Contains("empty", e2.Message);
    }

    [Fact]
    public void BinaryGarbageIsAnUnknownFormat()
    {
        var path = _temp.File("garbage.dat");
        var bytes = new byte[5000];
        new Random(3).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<TrajectoryFormatException>(() => TrajectoryReader.Open(path));
        Assert.Contains("unknown trajectory format", e.Message);
        Assert.Contains(path, e.Message);

        // Named as a format, garbage fails on its first frame at once instead of being waited for.
        foreach (var format in TrajectoryFormats.All)
        {
            var err = ReadFails(path, format);
            Assert.Equal(0, err.FrameIndex);
            Assert.Equal(0, err.ByteOffset);
        }
    }

    [Fact]
    public void AMissingFileIsReportedByName()
    {
        var path = _temp.File("nope.lammpstrj");
        var e = Assert.Throws<FileNotFoundException>(() => TrajectoryReader.Open(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AnUnknownFormatNameListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => TrajectoryFormats.ByName("pdb"));
        Assert.Contains("lammps, xyz, xtc", e.Message);
    }

    [Fact]
    public async Task ATruncatedLastFrameIsWaitedForWhileFollowingAndReportedWhenNot()
    {
        var frames = FrameAssert.ReadAll(Quench);
        var bytes = File.ReadAllBytes(Quench);
        var path = _temp.File("partial.lammpstrj");
        int cut = (int)(frames[3].ByteOffset + frames[3].ByteLength / 3);
        File.WriteAllBytes(path, bytes[..cut]);

        // Finished file: an error naming frame 3.
        var e = ReadFails(path);
        Assert.Equal(3, e.FrameIndex);
        Assert.Equal(frames[3].ByteOffset, e.ByteOffset);

        // Growing file: frames 0-2 now, frame 3 only once its rest is written.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var tailer = TrajectoryTailer.Start(path, new TailOptions { Follow = true, PollInterval = TimeSpan.FromMilliseconds(20) }, cancellationToken: cts.Token);
        for (int i = 0; i < 3; i++)
        {
            var item = await tailer.Items.ReadAsync(cts.Token);
            using (item.Frame) Assert.Equal(i, item.Frame!.Index);
        }
        await Task.Delay(300);
        Assert.False(tailer.Items.TryPeek(out _), "a partial frame must not be delivered");
        using (var append = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
            append.Write(bytes, cut, (int)(frames[3].ByteOffset + frames[3].ByteLength) - cut);
        var next = await tailer.Items.ReadAsync(cts.Token);
        using (next.Frame) FrameAssert.Equal(frames[3], FrameAssert.Snapshot.Of(next.Frame!));
        await cts.CancelAsync();
    }

    [Fact]
    public void AMalformedExtendedXyzCommentIsNamed()
    {
        var path = _temp.File("bad.xyz");
        File.WriteAllText(path, "2\nLattice=\"1 0 0 0 1\" Properties=species:S:1:pos:R:3\nAr 0 0 0\nAr 0.5 0.5 0.5\n");
        var e = ReadFails(path);
        Assert.Equal(0, e.FrameIndex);
        Assert.Equal(2, e.Line);
        Assert.Contains("Lattice", e.Message);
    }
}
