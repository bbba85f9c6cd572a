using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using StreamMonitor.Core;

namespace StreamMonitor.Ingest.Formats;

/// <summary>
/// Parses GROMACS XTC frames (XDR, big-endian). A frame is: int magic (1995, or 2023 as GROMACS 2023+ writes for
/// systems above 298 261 617 atoms, its XTC_1995_MAX_NATOMS), int natoms, int step, float time (ps), 9 floats box (nm, rows a, b, c), int natoms
/// again; then for up to 9 atoms 3·natoms plain floats, otherwise float precision, 3 ints minint, 3 ints maxint,
/// int smallidx, the compressed byte count (int32 for magic 1995, int64 for magic 2023) and the compressed bytes padded
/// to a multiple of 4. Lengths and positions are converted from nm to Å; XTC has no atom types or ids, so ids are
/// 1..N and types 0.
/// </summary>
internal sealed class XtcParser : FrameParser
{
    public const int Magic = 1995;
    public const int NewMagic = 2023;

    private const int MaxUncompressedAtoms = 9;
    private const int NatomsOffset = 4;
    private const int StepOffset = 8;
    private const int TimeOffset = 12;
    private const int BoxOffset = 16;
    private const int CoordinateCountOffset = 52;
    private const int PrecisionOffset = 56; // also where plain coordinates start
    private const int MinIntOffset = 60;
    private const int MaxIntOffset = 72;
    private const int SmallIdxOffset = 84;
    private const int ByteCountOffset = 88;
    private const float NanometreToAngstrom = 10f;

    private int _atomCount = -1;

    public override FrameParseResult TryParse(ReadOnlySpan<byte> data, in FrameLocation at)
    {
        if (data.Length < 4) return FrameParseResult.Incomplete(PrecisionOffset);
        int magic = Int(data, 0);
        if (magic != Magic && magic != NewMagic)
            throw TrajectoryFormatException.At(at, $"bad XTC magic {magic} (expected {Magic} or {NewMagic})" +
                (at.FrameIndex > 0 ? "; the previous frame's compressed byte count may be wrong, or the file is not XTC past this point" : ""));
        if (data.Length < PrecisionOffset) return FrameParseResult.Incomplete(PrecisionOffset);

        int natoms = Int(data, NatomsOffset);
        if (natoms < 0)
            throw TrajectoryFormatException.At(at, $"negative atom count {natoms}", NatomsOffset);
        if (_atomCount >= 0 && natoms != _atomCount)
            throw TrajectoryFormatException.At(at, $"atom count changed from {_atomCount} to {natoms}", NatomsOffset);
        int coordinateCount = Int(data, CoordinateCountOffset);
        if (coordinateCount != natoms)
            throw TrajectoryFormatException.At(at,
                $"coordinate block holds {coordinateCount} atoms but the frame header says {natoms}", CoordinateCountOffset);

        // Frame size, as soon as the header tells it.
        long frameSize;
        int dataOffset = 0;
        long compressedBytes = 0;
        if (natoms <= MaxUncompressedAtoms)
        {
            frameSize = PrecisionOffset + 12L * natoms;
        }
        else
        {
            dataOffset = ByteCountOffset + (magic == NewMagic ? 8 : 4);
            if (data.Length < dataOffset) return FrameParseResult.Incomplete(dataOffset);
            compressedBytes = magic == NewMagic
                ? BinaryPrimitives.ReadInt64BigEndian(data[ByteCountOffset..])
                : Int(data, ByteCountOffset);
            // Every atom takes at least 2 bits (a large triple of 1 bit and the run flag, or a small triple of 9), and
            // the writer's buffer holds 1.2 ints per coordinate (at least 240 bytes). Checking both before allocating
            // keeps a corrupt atom count from asking for gigabytes.
            long least = (2L * natoms + 7) / 8, most = Math.Max(240L, 15L * natoms);
            if (compressedBytes < least || compressedBytes > most)
                throw TrajectoryFormatException.At(at,
                    $"compressed coordinate byte count {compressedBytes} is impossible for {natoms} atoms (expected {least} to {most})", ByteCountOffset);
            frameSize = dataOffset + ((compressedBytes + 3) & ~3L);
        }
        if (frameSize > Array.MaxLength)
            throw TrajectoryFormatException.At(at, $"frame of {frameSize} bytes is larger than the {Array.MaxLength} bytes a frame may have");
        if (data.Length < frameSize) return FrameParseResult.Incomplete(frameSize);

        int step = Int(data, StepOffset);
        float time = Float(data, TimeOffset);
        if (!float.IsFinite(time))
            throw TrajectoryFormatException.At(at, $"time is {time}", TimeOffset);
        var box = ReadBox(data, at);

        var frame = new Frame(natoms)
        {
            Index = at.FrameIndex,
            Step = step,
            Time = time,
            Box = box,
            Coordinates = CoordinateKind.Wrapped,
            ByteOffset = at.ByteOffset,
            ByteLength = frameSize,
        };
        try
        {
            if (natoms <= MaxUncompressedAtoms)
                ReadPlain(data, natoms, frame, at);
            else
                ReadCompressed(data, natoms, dataOffset, (int)compressedBytes, (int)frameSize, frame, at);

            var ids = frame.Ids;
            for (int i = 0; i < ids.Length; i++) ids[i] = i + 1;
            frame.Types.Clear();
        }
        catch
        {
            frame.Dispose();
            throw;
        }

        _atomCount = natoms;
        return new FrameParseResult(FrameParseStatus.Frame, frame, (int)frameSize, 0);
    }

    private static SimulationBox ReadBox(ReadOnlySpan<byte> data, in FrameLocation at)
    {
        Span<double> v = stackalloc double[9];
        for (int k = 0; k < 9; k++)
        {
            float f = Float(data, BoxOffset + 4 * k);
            if (!float.IsFinite(f))
                throw TrajectoryFormatException.At(at, $"box component {k} (row {"abc"[k / 3]}, {"xyz"[k % 3]}) is {f}", BoxOffset + 4 * k);
            v[k] = f * (double)NanometreToAngstrom;
        }
        return new SimulationBox(new(v[0], v[1], v[2]), new(v[3], v[4], v[5]), new(v[6], v[7], v[8]), Vector3d.Zero);
    }

    private static void ReadPlain(ReadOnlySpan<byte> data, int natoms, Frame frame, in FrameLocation at)
    {
        Span<float> x = frame.X, y = frame.Y, z = frame.Z;
        for (int i = 0; i < natoms; i++)
        {
            int offset = PrecisionOffset + 12 * i;
            float fx = Float(data, offset), fy = Float(data, offset + 4), fz = Float(data, offset + 8);
            if (!float.IsFinite(fx) || !float.IsFinite(fy) || !float.IsFinite(fz))
                throw TrajectoryFormatException.At(at, $"atom {i + 1} has a non-finite position ({fx}, {fy}, {fz})", offset);
            x[i] = fx * NanometreToAngstrom;
            y[i] = fy * NanometreToAngstrom;
            z[i] = fz * NanometreToAngstrom;
        }
    }

    private static void ReadCompressed(ReadOnlySpan<byte> data, int natoms, int dataOffset, int compressedBytes, int frameSize,
        Frame frame, in FrameLocation at)
    {
        float precision = Float(data, PrecisionOffset);
        if (!float.IsFinite(precision) || precision <= 0)
            throw TrajectoryFormatException.At(at, $"precision {precision} is not a positive number", PrecisionOffset);
        int smallIdx = Int(data, SmallIdxOffset);
        if (smallIdx < XtcCoordinateDecoder.FirstIdx || smallIdx >= XtcCoordinateDecoder.LastIdx)
            throw TrajectoryFormatException.At(at,
                $"small-integer index {smallIdx} is out of range ({XtcCoordinateDecoder.FirstIdx}..{XtcCoordinateDecoder.LastIdx - 1})", SmallIdxOffset);

        // The compressed bytes and their padding: the decoder may load words over the padding but never past the frame.
        var compressed = data[dataOffset..frameSize];
        string? error = XtcCoordinateDecoder.Decode(compressed, compressedBytes, natoms,
            Int(data, MinIntOffset), Int(data, MinIntOffset + 4), Int(data, MinIntOffset + 8),
            Int(data, MaxIntOffset), Int(data, MaxIntOffset + 4), Int(data, MaxIntOffset + 8),
            smallIdx, precision, NanometreToAngstrom, frame.X, frame.Y, frame.Z, out long errorByte);
        if (error is not null)
            throw TrajectoryFormatException.At(at, error, errorByte < 0 ? MinIntOffset : dataOffset + errorByte);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Int(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadInt32BigEndian(data[offset..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Float(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadSingleBigEndian(data[offset..]);
}
