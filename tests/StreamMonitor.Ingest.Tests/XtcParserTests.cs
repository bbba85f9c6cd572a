using System.Buffers.Binary;
using StreamMonitor.Core;
using StreamMonitor.Ingest.Formats;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Ingest.Tests;

/// <summary>
/// The XTC parser against files GROMACS wrote, checked frame by frame against MDAnalysis (its C xdrfile reader) as an
/// independent reader; partial frames, corrupt data and the magic-2023 layout.
/// </summary>
public sealed class XtcParserTests
{
    // Frame layout (XDR): magic, natoms, step, time, box[9], natoms, then precision, minint[3], maxint[3], smallidx,
    // byte count (int32; int64 for magic 2023) and the compressed bytes padded to 4.
    private const int NatomsOffset = 4;
    private const int BoxOffset = 16;
    private const int CoordinateCountOffset = 52;
    private const int PrecisionOffset = 56;
    private const int MinIntOffset = 60;
    private const int MaxIntOffset = 72;
    private const int SmallIdxOffset = 84;
    private const int ByteCountOffset = 88;
    private const int DataOffset = 92;

    private const string MdAnalysisScript = """
        import json, sys, warnings
        warnings.simplefilter("ignore")
        from MDAnalysis.coordinates.XTC import XTCReader
        reader = XTCReader(sys.argv[1])
        frames = []
        for ts in reader:
            frames.append({"step": int(ts.data["step"]), "time": float(ts.time),
                           "box": ts.triclinic_dimensions.astype(float).tolist(),
                           "positions": ts.positions.astype(float).ravel().tolist()})
        print(json.dumps({"n_frames": reader.n_frames, "n_atoms": reader.n_atoms, "frames": frames}))
        """;

    public static TheoryData<string> Files => [.. XtcFixtures.All];

    [Theory]
    [MemberData(nameof(Files))]
    [Trait("Category", "Slow")]
    public void EveryFrameMatchesMdAnalysis(string name)
    {
        var path = XtcFixtures.Get(name);
        var bytes = File.ReadAllBytes(path);
        var frames = ParseAll(bytes, path);

        using var reference = MdAnalysis.RunJson(MdAnalysisScript, path);
        var root = reference.RootElement;
        Assert.Equal(root.GetProperty("n_frames").GetInt32(), frames.Count);
        int atoms = root.GetProperty("n_atoms").GetInt32();
        var expected = root.GetProperty("frames");
        for (int k = 0; k < frames.Count; k++)
        {
            var frame = frames[k];
            var want = expected[k];
            var header = bytes.AsSpan((int)frame.ByteOffset);
            Assert.Equal(atoms, frame.X.Length);
            Assert.Equal(want.GetProperty("step").GetInt64(), frame.Step);
            double time = want.GetProperty("time").GetDouble();
            Assert.True(Math.Abs(frame.Time!.Value - time) <= 1e-6 * Math.Max(1, Math.Abs(time)), $"frame {k}: time {frame.Time} vs {time}");

            var box = want.GetProperty("box");
            var rows = frame.Box.ToRows();
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 3; c++)
                    Assert.True(Math.Abs(rows[r][c] - box[r][c].GetDouble()) <= 1e-4,
                        $"frame {k}: box[{r}][{c}] {rows[r][c]} vs MDAnalysis {box[r][c].GetDouble()}");
            Assert.Equal(Vector3d.Zero, frame.Box.Origin);

            // Half a quantum of the file's precision (in Å), plus a few float32 ulps for the single-precision scaling.
            // (A looser relative slack would hide errors in the low bits of high-precision files.)
            double quantum = atoms > 9 ? 10.0 / BinaryPrimitives.ReadSingleBigEndian(header[PrecisionOffset..]) : 0;
            var positions = want.GetProperty("positions");
            int i = 0;
            foreach (var value in positions.EnumerateArray())
            {
                double expectedValue = value.GetDouble();
                float mine = (i % 3) switch { 0 => frame.X[i / 3], 1 => frame.Y[i / 3], _ => frame.Z[i / 3] };
                double tolerance = 0.5 * quantum + 4 * FloatUlp(expectedValue);
                Assert.True(Math.Abs(mine - expectedValue) <= tolerance,
                    $"{name} frame {k} atom {i / 3 + 1} axis {"xyz"[i % 3]}: {mine} vs MDAnalysis {expectedValue}");
                i++;
            }
            Assert.Equal(3 * atoms, i);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void FramesTileTheFileWithIdsFromOneAndNoTypes(string name)
    {
        var path = XtcFixtures.Get(name);
        var bytes = File.ReadAllBytes(path);
        var frames = ParseAll(bytes, path);
        Assert.Equal(11, frames.Count);
        long offset = 0;
        for (int k = 0; k < frames.Count; k++)
        {
            var f = frames[k];
            Assert.Equal(k, f.Index);
            Assert.Equal(offset, f.ByteOffset);
            Assert.Equal(20L * k, f.Step);
            Assert.Equal(0.04 * k, f.Time!.Value, 5);
            Assert.Equal(Enumerable.Range(1, f.X.Length), f.Ids);
            Assert.All(f.Types, t => Assert.Equal(0, t));
            offset += f.ByteLength;
        }
        Assert.Equal(bytes.Length, offset);
    }

    [Fact]
    public void TheWaterBoxIsADodecahedronInAngstrom()
    {
        var path = XtcFixtures.Get(XtcFixtures.Water);
        var frame = ParseAll(File.ReadAllBytes(path), path)[0];
        Assert.True(frame.X.Length > 1500 && frame.X.Length % 3 == 0, $"{frame.X.Length} atoms");
        // gmx editconf -bt dodecahedron -box 3: a = (3, 0, 0), b = (0, 3, 0), c = (1.5, 1.5, 2.1213) nm.
        Assert.Equal(30, frame.Box.A.X, 3);
        Assert.Equal(30, frame.Box.B.Y, 3);
        Assert.Equal(15, frame.Box.C.X, 3);
        Assert.Equal(15, frame.Box.C.Y, 3);
        Assert.Equal(30 / Math.Sqrt(2), frame.Box.C.Z, 3);
        Assert.False(frame.Box.IsOrthogonal);
    }

    /// <summary>Guards the fixture itself: each file must reach the decoding path it is there for.</summary>
    [Fact]
    public void TheFixtureFilesExerciseEveryDecodingPath()
    {
        (long Size, int PackedBits, int SmallIdx) Header(string name)
        {
            var h = File.ReadAllBytes(XtcFixtures.Get(name)).AsSpan();
            long maxSize = 0;
            UInt128 product = 1;
            for (int d = 0; d < 3; d++)
            {
                long size = (long)BinaryPrimitives.ReadInt32BigEndian(h[(MaxIntOffset + 4 * d)..]) - BinaryPrimitives.ReadInt32BigEndian(h[(MinIntOffset + 4 * d)..]) + 1;
                maxSize = Math.Max(maxSize, size);
                product *= (UInt128)size;
            }
            return (maxSize, 128 - (int)UInt128.LeadingZeroCount(product), BinaryPrimitives.ReadInt32BigEndian(h[SmallIdxOffset..]));
        }

        Assert.Equal(9, BinaryPrimitives.ReadInt32BigEndian(File.ReadAllBytes(XtcFixtures.Get(XtcFixtures.ThreeWaters)).AsSpan(NatomsOffset)));
        var water = Header(XtcFixtures.Water);
        Assert.True(water.Size <= 0xffffff && water.PackedBits <= 57 && water.SmallIdx <= 32, $"water: {water}");
        var region = Header(XtcFixtures.Region6);
        Assert.True(region.Size <= 0xffffff && region.PackedBits is > 57 and <= 64, $"region6: {region}");
        var p6 = Header(XtcFixtures.Precision6);
        Assert.True(p6.Size <= 0xffffff && p6.PackedBits > 64 && p6.SmallIdx > 32, $"precision6: {p6}");
        var p7 = Header(XtcFixtures.Precision7);
        Assert.True(p7.Size > 0xffffff && p7.SmallIdx > 57, $"precision7: {p7}");
    }

    [Theory]
    [InlineData(XtcFixtures.Water, false)]
    [InlineData(XtcFixtures.Water, true)]
    [InlineData(XtcFixtures.ThreeWaters, false)]
    [InlineData(XtcFixtures.Precision7, true)]
    public void EveryPrefixOfAFrameIsIncompleteAndTheHeaderTellsTheFrameSize(string name, bool magic2023)
    {
        var path = XtcFixtures.Get(name);
        var bytes = File.ReadAllBytes(path);
        if (magic2023) bytes = ToMagic2023(bytes);
        var frames = ParseAll(bytes, path);
        int natoms = frames[0].X.Length;
        int headerEnd = natoms <= 9 ? PrecisionOffset : DataOffset + (magic2023 ? 4 : 0);

        foreach (int k in new[] { 0, 1 })
        {
            int start = (int)frames[k].ByteOffset, size = (int)frames[k].ByteLength;
            var at = new FrameLocation(path, k, start, 0);
            var parser = TrajectoryFormats.Xtc.CreateParser();
            for (int length = 0; length < size; length++)
            {
                var result = parser.TryParse(bytes.AsSpan(start, length), at);
                Assert.Equal(FrameParseStatus.Incomplete, result.Status);
                Assert.Null(result.Frame);
                Assert.True(result.BytesNeeded > length && result.BytesNeeded <= size,
                    $"frame {k}, {length} of {size} bytes: asks for {result.BytesNeeded}");
                if (length >= headerEnd) Assert.Equal(size, result.BytesNeeded);
            }

            // The whole frame, and the whole frame followed by part of the next: the frame alone is consumed.
            foreach (int extra in new[] { 0, 7 })
            {
                var result = parser.TryParse(bytes.AsSpan(start, size + extra), at);
                Assert.Equal(FrameParseStatus.Frame, result.Status);
                Assert.Equal(size, result.BytesConsumed);
                using var frame = result.Frame!;
                Assert.Equal(k, frame.Index);
                Assert.Equal(start, frame.ByteOffset);
                Assert.Equal(size, frame.ByteLength);
                FrameAssert.Equal(frames[k], FrameAssert.Snapshot.Of(frame));
            }
        }
    }

    /// <summary>
    /// GROMACS 2023+ (libxdrf.cpp, xdr3dfcoord) writes magic 2023 for frames above 298,261,617 atoms, and then stores the
    /// compressed byte count with xdr_int64 (xdrd.cpp: high then low 32-bit word, each big-endian) instead of xdr_int;
    /// everything else is the same, and readers follow whatever magic the frame has. Rewriting a 1995 file that way must
    /// decode to the same frames.
    /// </summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void Magic2023FramesDecodeLikeTheir1995Originals(string name)
    {
        var path = XtcFixtures.Get(name);
        var original = File.ReadAllBytes(path);
        var rewritten = ToMagic2023(original);
        Assert.Equal(2023, BinaryPrimitives.ReadInt32BigEndian(rewritten));
        Assert.True(TrajectoryFormats.Xtc.Sniff(rewritten.AsSpan(0, 64)));

        var before = ParseAll(original, path);
        var after = ParseAll(rewritten, path);
        Assert.Equal(before.Count, after.Count);
        for (int k = 0; k < before.Count; k++)
        {
            // Each compressed frame grows by 4 bytes (a 64-bit byte count); everything else is the same.
            var a = before[k];
            int growth = a.X.Length > 9 ? 4 : 0;
            FrameAssert.Equal(a with { ByteOffset = a.ByteOffset + growth * k, ByteLength = a.ByteLength + growth }, after[k]);
        }
    }

    [Fact]
    public void ABadMagicNumberIsAnErrorNamingTheFrameAndOffset()
    {
        var path = XtcFixtures.Get(XtcFixtures.Water);
        var bytes = File.ReadAllBytes(path);
        var frames = ParseAll(bytes, path);
        long offset = frames[2].ByteOffset;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan((int)offset), 12345);

        var parser = TrajectoryFormats.Xtc.CreateParser();
        int at = 0;
        for (int k = 0; k < 2; k++)
        {
            var result = parser.TryParse(bytes.AsSpan(at), new FrameLocation(path, k, at, 0));
            result.Frame!.Dispose();
            at += result.BytesConsumed;
        }
        Assert.Equal(offset, at);
        var e = Assert.Throws<TrajectoryFormatException>(() => parser.TryParse(bytes.AsSpan(at), new FrameLocation(path, 2, at, 0)));
        Assert.Equal(2, e.FrameIndex);
        Assert.Equal(offset, e.ByteOffset);
        Assert.Contains("bad XTC magic 12345 (expected 1995 or 2023)", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Contains("frame 2", e.Message);
    }

    [Theory]
    [InlineData(NatomsOffset, -5, "negative atom count -5")]
    [InlineData(CoordinateCountOffset, 1895, "coordinate block holds 1895 atoms but the frame header says {N}")]
    [InlineData(PrecisionOffset, unchecked((int)0xBF800000), "precision -1 is not a positive number")]
    [InlineData(PrecisionOffset, 0x7FC00000, "precision NaN is not a positive number")]
    [InlineData(BoxOffset + 4, 0x7F800000, "box component 1 (row a, y) is Infinity")]
    [InlineData(SmallIdxOffset, 3, "small-integer index 3 is out of range (9..72)")]
    [InlineData(SmallIdxOffset, 80, "small-integer index 80 is out of range (9..72)")]
    [InlineData(MinIntOffset, int.MaxValue, "coordinate range is empty")]
    [InlineData(MinIntOffset, int.MinValue, "is wider than 2^31")]
    [InlineData(ByteCountOffset, -1, "compressed coordinate byte count -1 is impossible for {N} atoms (expected {least} to {most})")]
    [InlineData(ByteCountOffset, 1 << 30, "is impossible for {N} atoms (expected {least} to {most})")]
    public void ABadHeaderFieldIsAnErrorAtThatField(int field, int value, string message)
    {
        var path = XtcFixtures.Get(XtcFixtures.Water);
        var bytes = File.ReadAllBytes(path);
        var frames = ParseAll(bytes, path);
        int start = (int)frames[1].ByteOffset;
        int natoms = frames[1].X.Length;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(start + field), value);
        var e = Assert.Throws<TrajectoryFormatException>(() =>
            TrajectoryFormats.Xtc.CreateParser().TryParse(bytes.AsSpan(start), new FrameLocation(path, 1, start, 0)));
        // The byte count of N atoms is between 2 bits per atom and the writer's 1.2 ints per coordinate.
        Assert.Contains(message.Replace("{N}", $"{natoms}").Replace("{least}", $"{(2 * natoms + 7) / 8}").Replace("{most}", $"{15 * natoms}"), e.Message);
        Assert.Equal(1, e.FrameIndex);
        Assert.Equal(start + field, e.ByteOffset);
    }

    [Fact]
    public void AnAtomCountThatChangesBetweenFramesIsAnError()
    {
        var water = File.ReadAllBytes(XtcFixtures.Get(XtcFixtures.Water));
        var small = File.ReadAllBytes(XtcFixtures.Get(XtcFixtures.ThreeWaters));
        var parser = TrajectoryFormats.Xtc.CreateParser();
        var first = parser.TryParse(water, new FrameLocation("mixed.xtc", 0, 0, 0));
        int natoms = first.Frame!.AtomCount;
        first.Frame.Dispose();
        var e = Assert.Throws<TrajectoryFormatException>(() =>
            parser.TryParse(small, new FrameLocation("mixed.xtc", 1, first.BytesConsumed, 0)));
        Assert.Contains($"atom count changed from {natoms} to 9", e.Message);
        Assert.Equal(first.BytesConsumed + NatomsOffset, e.ByteOffset);
    }

    [Theory]
    [InlineData(XtcFixtures.Water)]
    [InlineData(XtcFixtures.Precision6)]
    [InlineData(XtcFixtures.Precision7)]
    [InlineData(XtcFixtures.Region6)]
    public void AByteCountTooShortForTheAtomsIsCorruptData(string name)
    {
        var path = XtcFixtures.Get(name);
        var bytes = File.ReadAllBytes(path);
        var frames = ParseAll(bytes, path);
        int start = (int)frames[1].ByteOffset;
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(start + ByteCountOffset));
        // The frame as it would be had the writer announced (and written) only half of its compressed bytes.
        int shortCount = count / 2;
        var frame = bytes.AsSpan(start, DataOffset + ((shortCount + 3) & ~3)).ToArray();
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(ByteCountOffset), shortCount);

        var e = Assert.Throws<TrajectoryFormatException>(() =>
            TrajectoryFormats.Xtc.CreateParser().TryParse(frame, new FrameLocation(path, 1, start, 0)));
        Assert.Contains("compressed coordinate data is corrupt", e.Message);
        Assert.Equal(1, e.FrameIndex);
        Assert.InRange(e.ByteOffset!.Value, (long)start + DataOffset, start + frame.Length);
    }

    /// <summary>Random damage anywhere in a frame gives a frame or a <see cref="TrajectoryFormatException"/>, never a crash.</summary>
    [Theory]
    [InlineData(XtcFixtures.Water, false)]
    [InlineData(XtcFixtures.Water, true)]
    [InlineData(XtcFixtures.Precision6, false)]
    [InlineData(XtcFixtures.Precision7, false)]
    [InlineData(XtcFixtures.Region6, false)]
    [InlineData(XtcFixtures.ThreeWaters, false)]
    public void CorruptBytesNeverReadOutOfRange(string name, bool inHeader)
    {
        var path = XtcFixtures.Get(name);
        var bytes = File.ReadAllBytes(path);
        var frames = ParseAll(bytes, path);
        int start = (int)frames[1].ByteOffset, size = (int)frames[1].ByteLength;
        var original = bytes.AsSpan(start, size).ToArray();
        int from = inHeader || size <= DataOffset ? 0 : DataOffset;
        var random = new Random(name.Length * 31 + (inHeader ? 1 : 0));
        int rejected = 0;
        for (int trial = 0; trial < 1500; trial++)
        {
            var damaged = (byte[])original.Clone();
            int flips = random.Next(1, 4);
            for (int f = 0; f < flips; f++)
                damaged[random.Next(from, inHeader ? Math.Min(size, DataOffset) : size)] ^= (byte)random.Next(1, 256);
            // Sometimes cut the data short as well: the parser then waits for more.
            int length = random.Next(4) == 0 ? random.Next(size) : size;
            try
            {
                var result = TrajectoryFormats.Xtc.CreateParser().TryParse(damaged.AsSpan(0, length), new FrameLocation(path, 1, start, 0));
                result.Frame?.Dispose();
            }
            catch (TrajectoryFormatException e)
            {
                Assert.Equal(1, e.FrameIndex);
                Assert.InRange(e.ByteOffset!.Value, (long)start, start + size);
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"trial {trial}: {e.GetType().Name} instead of a format error: {e}");
            }
        }
        if (name != XtcFixtures.ThreeWaters) Assert.True(rejected > 0, "no damage was ever detected");
    }

    [Fact]
    public void XtcIsRecognisedByItsFirstBytes()
    {
        var head = File.ReadAllBytes(XtcFixtures.Get(XtcFixtures.Water)).AsSpan(0, 256).ToArray();
        var xtc = TrajectoryFormats.Xtc;
        Assert.IsType<XtcFormat>(xtc);
        Assert.Equal("xtc", xtc.Name);
        Assert.False(xtc.IsText);
        Assert.Equal(new[] { ".xtc" }, xtc.Extensions);
        Assert.True(xtc.Sniff(head));
        Assert.Same(xtc, TrajectoryFormats.Detect("trajectory.bin", head));
        Assert.Same(xtc, TrajectoryFormats.ByExtension("run/traj.xtc"));
        Assert.False(xtc.Sniff(head.AsSpan(0, 7)));
        Assert.False(xtc.Sniff("ITEM: TIMESTEP\n0\n"u8));
        var negative = (byte[])head.Clone();
        BinaryPrimitives.WriteInt32BigEndian(negative.AsSpan(NatomsOffset), -1);
        Assert.False(xtc.Sniff(negative));
        BinaryPrimitives.WriteInt32BigEndian(negative.AsSpan(NatomsOffset), 12);
        BinaryPrimitives.WriteInt32BigEndian(negative, 1996);
        Assert.False(xtc.Sniff(negative));
    }

    /// <summary>Parses every frame of a whole file held in memory, as the reader would hand it over.</summary>
    private static List<FrameAssert.Snapshot> ParseAll(byte[] bytes, string path)
    {
        var parser = TrajectoryFormats.Xtc.CreateParser();
        var frames = new List<FrameAssert.Snapshot>();
        int offset = 0;
        while (offset < bytes.Length)
        {
            var result = parser.TryParse(bytes.AsSpan(offset), new FrameLocation(path, frames.Count, offset, 0));
            Assert.Equal(FrameParseStatus.Frame, result.Status);
            using var frame = result.Frame!;
            Assert.Equal(result.BytesConsumed, frame.ByteLength);
            Assert.Equal(0, result.LinesConsumed);
            Assert.Equal(CoordinateKind.Wrapped, frame.Coordinates);
            frames.Add(FrameAssert.Snapshot.Of(frame));
            offset += result.BytesConsumed;
        }
        return frames;
    }

    /// <summary>The file with every frame rewritten in the magic-2023 layout (64-bit compressed byte count).</summary>
    private static byte[] ToMagic2023(byte[] file)
    {
        using var output = new MemoryStream();
        Span<byte> head = stackalloc byte[DataOffset + 4];
        int offset = 0;
        while (offset < file.Length)
        {
            var frame = file.AsSpan(offset);
            int natoms = BinaryPrimitives.ReadInt32BigEndian(frame[NatomsOffset..]);
            if (natoms <= 9)
            {
                int size = PrecisionOffset + 12 * natoms;
                var copy = frame[..size].ToArray();
                BinaryPrimitives.WriteInt32BigEndian(copy, XtcParser.NewMagic);
                output.Write(copy);
                offset += size;
            }
            else
            {
                int count = BinaryPrimitives.ReadInt32BigEndian(frame[ByteCountOffset..]);
                frame[..ByteCountOffset].CopyTo(head);
                BinaryPrimitives.WriteInt32BigEndian(head, XtcParser.NewMagic);
                BinaryPrimitives.WriteInt64BigEndian(head[ByteCountOffset..], count);
                output.Write(head);
                int padded = (count + 3) & ~3;
                output.Write(frame.Slice(DataOffset, padded));
                offset += DataOffset + padded;
            }
        }
        return output.ToArray();
    }

    /// <summary>The spacing of float32 values near <paramref name="value"/>.</summary>
    private static double FloatUlp(double value)
    {
        float f = Math.Abs((float)value);
        return MathF.BitIncrement(f) - f;
    }
}
