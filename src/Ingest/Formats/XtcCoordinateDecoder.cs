using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StreamMonitor.Ingest.Formats;

/// <summary>
/// Decompresses the coordinate block of an XTC frame: the inverse of GROMACS' <c>xdr3dfcoord</c> (libxdrf, coordinate
/// compression by Frans van Hoesel). Every atom is either a "large" integer triple coded against the frame's
/// [minint, maxint] range, or a "small" difference to the previous atom inside a run; the small-integer size adapts
/// (<c>smallidx</c>) along the way and the first two atoms of a run are swapped (water: O H H is coded as H O H).
/// </summary>
/// <remarks>
/// The bit stream is read most significant bit first. A triple packed by <c>sendints</c> is one big integer
/// <c>N = (x·size_y + y)·size_z + z</c> whose bytes come least significant first, the last (top) byte holding the
/// leftover bits. Instead of the original's byte-by-byte long division, the integer is read in one go and split with
/// 32-bit divisions (up to 32 bits), 64-bit divisions (up to 64 bits) or a two-step long division (65 to 72 bits, only
/// at precisions of 10^6 and above). Every bit read is one unaligned 8-byte big-endian load at the bit position.
/// Bounds: loads never start past the last full word of <c>data</c> (windows beyond it are shifted out of that word and
/// read as zero), so corrupt data can never read out of range; a stream that needs more bits than it has is reported
/// after the loop, which the atom count bounds.
/// </remarks>
internal static class XtcCoordinateDecoder
{
    /// <summary>First usable index into <see cref="MagicInts"/>; the ones before it are 0.</summary>
    public const int FirstIdx = 9;

    /// <summary>Number of entries of <see cref="MagicInts"/>.</summary>
    public const int LastIdx = 73;

    /// <summary>GROMACS' <c>magicints</c>: sizes of the small integers, about 2^(i/3).</summary>
    public static ReadOnlySpan<int> MagicInts =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 8,
        10, 12, 16, 20, 25, 32, 40, 50, 64, 80,
        101, 128, 161, 203, 256, 322, 406, 512, 645, 812,
        1024, 1290, 1625, 2048, 2580, 3250, 4096, 5060, 6501, 8192,
        10321, 13003, 16384, 20642, 26007, 32768, 41285, 52015, 65536, 82570,
        104031, 131072, 165140, 208063, 262144, 330280, 416127, 524287, 660561, 832255,
        1048576, 1321122, 1664510, 2097152, 2642245, 3329021, 4194304, 5284491, 6658042, 8388607,
        10568983, 13316085, 16777216,
    ];

    /// <summary>
    /// Decodes <paramref name="atomCount"/> atoms from the compressed bytes <paramref name="data"/> (the bytes the frame's
    /// byte count announces, optionally followed by its padding) into x, y, z, each scaled by 1/precision (nm, as
    /// GROMACS computes it) and then by <paramref name="unitScale"/>.
    /// Returns null on success, or a message saying what is wrong with the data and, in
    /// <paramref name="errorByte"/>, the byte of <paramref name="data"/> where it was found (-1: the minint/maxint
    /// range or the small-integer index given by the caller).
    /// </summary>
    public static string? Decode(ReadOnlySpan<byte> data, int compressedBytes, int atomCount,
        int minX, int minY, int minZ, int maxX, int maxY, int maxZ, int smallIdx, float precision, float unitScale,
        Span<float> x, Span<float> y, Span<float> z, out long errorByte)
    {
        if (x.Length < atomCount || y.Length < atomCount || z.Length < atomCount)
            throw new ArgumentException("output spans are shorter than the atom count");
        if ((uint)compressedBytes > (uint)data.Length)
            throw new ArgumentOutOfRangeException(nameof(compressedBytes));

        errorByte = -1;
        long sizeX = (long)maxX - minX + 1, sizeY = (long)maxY - minY + 1, sizeZ = (long)maxZ - minZ + 1;
        if (sizeX < 1 || sizeY < 1 || sizeZ < 1)
            return $"coordinate range is empty (minint {minX} {minY} {minZ} exceeds maxint {maxX} {maxY} {maxZ})";
        if (sizeX > int.MaxValue || sizeY > int.MaxValue || sizeZ > int.MaxValue)
            return $"coordinate range minint {minX} {minY} {minZ} .. maxint {maxX} {maxY} {maxZ} is wider than 2^31";
        if (smallIdx < FirstIdx || smallIdx >= LastIdx)
            return $"small-integer index {smallIdx} is out of range ({FirstIdx}..{LastIdx - 1})";

        var setup = new FrameSetup
        {
            MinX = minX, MinY = minY, MinZ = minZ,
            SizeY = (uint)sizeY, SizeZ = (uint)sizeZ,
            Inverse = (float)(1.0 / precision), // float, as GROMACS' inv_precision
            Scale = unitScale,
        };
        // GROMACS packs the triple into one integer unless a size exceeds 2^24; then each coordinate gets its own bits.
        if ((sizeX | sizeY | sizeZ) > 0xffffff)
        {
            setup.BitsX = SizeOfInt((uint)sizeX);
            setup.BitsY = SizeOfInt((uint)sizeY);
            setup.BitsZ = SizeOfInt((uint)sizeZ);
        }
        else
        {
            setup.PackedBits = SizeOfInts((uint)sizeX, (uint)sizeY, (uint)sizeZ);
        }

        // Every load is 8 bytes wide: shorter data is decoded from a zero-padded copy.
        scoped ReadOnlySpan<byte> source = data;
        Span<byte> padded = stackalloc byte[8];
        if (data.Length < 8)
        {
            padded.Clear();
            data.CopyTo(padded);
            source = padded;
        }

        var status = DecodeAtoms(source, atomCount, smallIdx, in setup,
            ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), ref MemoryMarshal.GetReference(z),
            out int atom, out long bitPos, out int detail);
        errorByte = Math.Min(bitPos >> 3, compressedBytes);
        switch (status)
        {
            case Status.RunOverflow:
                return $"compressed coordinate data is corrupt: a run of {detail} atoms after atom {atom} overflows the {atomCount} atoms of the frame";
            case Status.SmallIndexOutOfRange:
                return $"compressed coordinate data is corrupt: the small-integer index went out of range ({detail}) after atom {atom}";
        }
        long usedBytes = (bitPos + 7) >> 3;
        if (usedBytes > compressedBytes)
        {
            errorByte = compressedBytes;
            return $"compressed coordinate data is corrupt: decoding {atomCount} atoms needs {usedBytes} bytes but the frame holds {compressedBytes}";
        }
        errorByte = 0;
        return null;
    }

    private enum Status
    {
        Ok,
        RunOverflow,
        SmallIndexOutOfRange,
    }

    /// <summary>What stays fixed for a whole frame.</summary>
    private struct FrameSetup
    {
        public int MinX, MinY, MinZ;
        public uint SizeY, SizeZ;
        public int PackedBits;          // bits of a packed large triple; 0 when coordinates have their own bits
        public int BitsX, BitsY, BitsZ; // bits per coordinate when PackedBits is 0
        public float Inverse, Scale;
    }

    // The hot loop, kept apart from message formatting so that its locals stay in registers. (Not marked
    // AggressiveOptimization: that skips dynamic PGO, and the PGO-laid-out code measured about 25 % faster.)
    private static Status DecodeAtoms(ReadOnlySpan<byte> data /* at least 8 bytes */, int atomCount, int smallIdx, in FrameSetup f,
        ref float xs, ref float ys, ref float zs, out int failAtom, out long finalBitPos, out int detail)
    {
        ref byte buf = ref MemoryMarshal.GetReference(data);
        long lastWord = data.Length - 8;
        long bitPos = 0;

        int minX = f.MinX, minY = f.MinY, minZ = f.MinZ;
        uint sizeY = f.SizeY, sizeZ = f.SizeZ;
        int packedBits = f.PackedBits;
        float inv = f.Inverse, scale = f.Scale;

        int smallNum = MagicInts[smallIdx] / 2;
        int smaller = MagicInts[Math.Max(FirstIdx, smallIdx - 1)] / 2;
        uint sizeSmall = (uint)MagicInts[smallIdx];
        ulong reciprocal = Reciprocals[smallIdx];

        Status status = Status.Ok;
        detail = 0;
        int run = 0;
        int i = 0;
        while (i < atomCount)
        {
            int cx, cy, cz;
            if (packedBits != 0)
            {
                ReadTriple(ref buf, lastWord, ref bitPos, packedBits, sizeY, sizeZ, out cx, out cy, out cz);
            }
            else
            {
                cx = (int)ReadBits(ref buf, lastWord, ref bitPos, f.BitsX);
                cy = (int)ReadBits(ref buf, lastWord, ref bitPos, f.BitsY);
                cz = (int)ReadBits(ref buf, lastWord, ref bitPos, f.BitsZ);
            }
            cx += minX;
            cy += minY;
            cz += minZ;

            // One flag bit, then (if set) 5 bits: the run length in atoms * 3 plus (change of smallidx + 1).
            // Without the flag the previous run length applies again.
            int isSmaller = 0;
            ulong window = Peek(ref buf, lastWord, bitPos);
            if ((long)window < 0)
            {
                int code = (int)((window << 1) >> 59);
                bitPos += 6;
                isSmaller = code % 3;
                run = code - isSmaller;
                isSmaller--;
            }
            else
            {
                bitPos += 1;
            }

            if (run > 0)
            {
                int count = run / 3;
                if (count > atomCount - i - 1)
                {
                    status = Status.RunOverflow;
                    detail = count;
                    i++;
                    break;
                }

                // The writer swapped the first two atoms of a run (water: O H H coded as H O H): swap them back.
                ReadSmall(ref buf, lastWord, ref bitPos, smallIdx, sizeSmall, reciprocal, out int dx, out int dy, out int dz);
                int px = dx + cx - smallNum, py = dy + cy - smallNum, pz = dz + cz - smallNum;
                Store(ref xs, ref ys, ref zs, i, px, py, pz, inv, scale);
                Store(ref xs, ref ys, ref zs, i + 1, cx, cy, cz, inv, scale);
                i += 2;
                for (int k = 1; k < count; k++)
                {
                    ReadSmall(ref buf, lastWord, ref bitPos, smallIdx, sizeSmall, reciprocal, out dx, out dy, out dz);
                    px += dx - smallNum;
                    py += dy - smallNum;
                    pz += dz - smallNum;
                    Store(ref xs, ref ys, ref zs, i, px, py, pz, inv, scale);
                    i++;
                }
            }
            else
            {
                Store(ref xs, ref ys, ref zs, i, cx, cy, cz, inv, scale);
                i++;
            }

            if (isSmaller != 0)
            {
                smallIdx += isSmaller;
                if ((uint)(smallIdx - FirstIdx) >= LastIdx - FirstIdx)
                {
                    status = Status.SmallIndexOutOfRange;
                    detail = smallIdx;
                    break;
                }
                if (isSmaller < 0)
                {
                    smallNum = smaller;
                    smaller = smallIdx > FirstIdx ? MagicInts[smallIdx - 1] / 2 : 0;
                }
                else
                {
                    smaller = smallNum;
                    smallNum = MagicInts[smallIdx] / 2;
                }
                sizeSmall = (uint)MagicInts[smallIdx];
                reciprocal = Reciprocals[smallIdx];
            }
        }

        failAtom = i;
        finalBitPos = bitPos;
        return status;
    }

    /// <summary>Bits needed for values 0..size-1 (GROMACS <c>sizeofint</c>).</summary>
    public static int SizeOfInt(uint size)
    {
        int bits = 0;
        ulong num = 1;
        while (size >= num && bits < 32)
        {
            bits++;
            num <<= 1;
        }
        return bits;
    }

    /// <summary>Bits needed for the product of three sizes (GROMACS <c>sizeofints</c>, exact for up to 96 bits).</summary>
    public static int SizeOfInts(uint s0, uint s1, uint s2)
    {
        // sizeofints counts the bits of the product's top byte with "while (top >= num)" plus 8 per byte below it:
        // the bit length of the product (a product of exactly 2^k gets k + 1 bits).
        UInt128 product = (UInt128)s0 * s1 * s2;
        return 128 - (int)UInt128.LeadingZeroCount(product);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref float xs, ref float ys, ref float zs, int i, int cx, int cy, int cz, float inv, float scale)
    {
        // As GROMACS: int * (float)(1/precision) in single precision, then the unit conversion.
        Unsafe.Add(ref xs, i) = cx * inv * scale;
        Unsafe.Add(ref ys, i) = cy * inv * scale;
        Unsafe.Add(ref zs, i) = cz * inv * scale;
    }

    /// <summary>
    /// 64 bits of the stream starting at <paramref name="bitPos"/>, most significant first; at least 57 are valid.
    /// <paramref name="lastWord"/> is the last byte index where 8 bytes can be loaded: windows starting after it are
    /// taken from that last word shifted (bytes past the end read as zero), so nothing outside the data is ever read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Peek(ref byte buf, long lastWord, long bitPos)
    {
        long byteIndex = bitPos >> 3;
        long at = Math.Min(byteIndex, lastWord);
        ulong word = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref buf, (nint)at)));
        long behind = byteIndex - at;
        word = behind < 8 ? word << (int)(behind << 3) : 0;
        return word << (int)(bitPos & 7);
    }

    /// <summary>Reads 1..57 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadBits(ref byte buf, long lastWord, ref long bitPos, int bits)
    {
        ulong value = Peek(ref buf, lastWord, bitPos) >> (64 - bits);
        bitPos += bits;
        return value;
    }

    /// <summary>
    /// Reads the packed integer of <paramref name="bits"/> (1..64) bits as <c>receiveints</c> assembles it: the stream
    /// holds its low byte first, each byte most significant bit first, and the top (partial) byte last.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadPacked(ref byte buf, long lastWord, ref long bitPos, int bits)
    {
        int fullShift = ((bits - 1) >> 3) << 3; // 8 × the number of whole bytes
        if (bits <= 57)
        {
            // The window is left-aligned: whole byte j sits in bits 63-8j..56-8j, so a byte swap puts it at 8j.
            ulong window = Peek(ref buf, lastWord, bitPos);
            bitPos += bits;
            ulong low = BinaryPrimitives.ReverseEndianness(window) & ((1UL << fullShift) - 1);
            ulong top = (window << fullShift) >> (64 - bits + fullShift);
            return low | (top << fullShift);
        }
        else
        {
            ulong v = ReadWide(ref buf, lastWord, ref bitPos, bits); // right-aligned
            int topBits = bits - fullShift;
            ulong wholeBytes = v >> topBits;
            ulong top = v & ((1UL << topBits) - 1);
            return (BinaryPrimitives.ReverseEndianness(wholeBytes << (64 - fullShift))) | (top << fullShift);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadWide(ref byte buf, long lastWord, ref long bitPos, int bits)
    {
        ulong high = ReadBits(ref buf, lastWord, ref bitPos, bits - 32);
        ulong low = ReadBits(ref buf, lastWord, ref bitPos, 32);
        return (high << 32) | low;
    }

    /// <summary>
    /// Lemire's reciprocals of the small sizes, 2^64 / size rounded up: for any 32-bit n, n / size is the high word of
    /// reciprocal × n (Lemire, Kaser and Kurz, "Faster remainder by direct computation", 2019).
    /// </summary>
    private static readonly ulong[] Reciprocals = CreateReciprocals();

    private static ulong[] CreateReciprocals()
    {
        var table = new ulong[LastIdx];
        for (int i = FirstIdx; i < LastIdx; i++) table[i] = ulong.MaxValue / (uint)MagicInts[i] + 1;
        return table;
    }

    /// <summary>Reads a small-integer triple (all three sizes equal) and splits it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadSmall(ref byte buf, long lastWord, ref long bitPos, int bits, uint size, ulong reciprocal,
        out int a, out int b, out int c)
    {
        if (bits <= 32)
        {
            uint n = (uint)ReadPacked(ref buf, lastWord, ref bitPos, bits);
            uint q = (uint)Math.BigMul(reciprocal, n, out _);
            c = (int)(n - q * size);
            uint q2 = (uint)Math.BigMul(reciprocal, q, out _);
            b = (int)(q - q2 * size);
            a = (int)q2;
        }
        else
        {
            ReadTriple(ref buf, lastWord, ref bitPos, bits, size, size, out a, out b, out c);
        }
    }

    /// <summary>Reads a packed triple of <paramref name="bits"/> bits and splits it as (a·s1 + b)·s2 + c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadTriple(ref byte buf, long lastWord, ref long bitPos, int bits, uint s1, uint s2,
        out int a, out int b, out int c)
    {
        if (bits <= 32)
        {
            // The common case for small integers (smallidx <= 32) and compact systems: 32-bit divisions.
            uint n = (uint)ReadPacked(ref buf, lastWord, ref bitPos, bits);
            uint q = n / s2;
            c = (int)(n - q * s2);
            uint q2 = q / s1;
            b = (int)(q - q2 * s1);
            a = (int)q2;
        }
        else if (bits <= 64)
        {
            ulong n = ReadPacked(ref buf, lastWord, ref bitPos, bits);
            ulong q = n / s2;
            c = (int)(n - q * s2);
            ulong q2 = q / s1;
            b = (int)(q - q2 * s1);
            a = (int)(uint)q2; // receiveints keeps the low 4 bytes of the last quotient
        }
        else
        {
            // 65..72 bits (sizes near 2^24: precision 10^6 and up). The stream holds 8 whole bytes, least significant
            // first, then the top bits. Long division in two steps: the top 40 bits, then the remainder with the low
            // 32 bits. A product of three sizes of at most 2^24 reaches 2^64 only when each is at least 2^16 (and the
            // small sizes this wide are above 2^21), so each partial quotient fits in 32 bits.
            ulong first = (ReadBits(ref buf, lastWord, ref bitPos, 32) << 32) | ReadBits(ref buf, lastWord, ref bitPos, 32);
            ulong low = BinaryPrimitives.ReverseEndianness(first);
            ulong top = ReadBits(ref buf, lastWord, ref bitPos, bits - 64);
            ulong part = (top << 32) | (low >> 32);
            ulong qHigh = part / s2;
            part = ((part - qHigh * s2) << 32) | (uint)low;
            ulong qLow = part / s2;
            c = (int)(part - qLow * s2);
            ulong q = (qHigh << 32) | qLow;
            ulong q2 = q / s1;
            b = (int)(q - q2 * s1);
            a = (int)(uint)q2;
        }
    }
}
