using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StreamMonitor.Ingest.Formats;

/// <summary>
/// Decompresses the coordinate block of an XTC frame: the inverse of GROMACS' <c>xdr3dfcoord</c> (libxdrf, coordinate
/// compression by Frans van Hoesel). Every atom is either a "large" integer triple coded against the frame's
/// [minint, maxint] range, or a "small" difference to the previous atom inside a run; the small-integer size adapts
/// (<c>smallidx</c>) along the way and the first two atoms of a run are swapped (water: H O H is coded as O H H).
/// </summary>
/// <remarks>
/// The bit stream is read most significant bit first. A triple packed by <c>sendints</c> is one big integer
/// <c>N = (x·size_y + y)·size_z + z</c> whose bytes come least significant first, the last (top) byte holding the
/// leftover bits. When the whole integer fits in 64 bits it is read in one go and split with two 64-bit (or 32-bit)
/// divisions; only triples wider than 64 bits (three sizes near 2^24: very high precision) use the byte-wise
/// long division of the original.
/// Bounds: 8-byte loads happen only where 8 bytes remain in <c>data</c>; near its end bytes are read one at a time and
/// anything past the end reads as zero, so corrupt data can never read out of range. A stream that needs more bits
/// than it has is reported after the loop (the atom loop itself is bounded by the atom count).
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
        errorByte = 0;
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

        errorByte = 0;
        bool large = (sizeX | sizeY | sizeZ) > 0xffffff;
        int bitsX = 0, bitsY = 0, bitsZ = 0, bitSize = 0;
        if (large)
        {
            bitsX = SizeOfInt((uint)sizeX);
            bitsY = SizeOfInt((uint)sizeY);
            bitsZ = SizeOfInt((uint)sizeZ);
        }
        else
        {
            bitSize = SizeOfInts((uint)sizeX, (uint)sizeY, (uint)sizeZ);
        }
        uint sY = (uint)sizeY, sZ = (uint)sizeZ;

        int smallNum = MagicInts[smallIdx] / 2;
        int smaller = MagicInts[Math.Max(FirstIdx, smallIdx - 1)] / 2;
        uint sizeSmall = (uint)MagicInts[smallIdx];

        ref byte buf = ref MemoryMarshal.GetReference(data);
        long length = data.Length;
        long fastEnd = length - 8;
        long bitPos = 0;

        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float zs = ref MemoryMarshal.GetReference(z);
        float inv = (float)(1.0 / precision);

        int run = 0;
        int i = 0;
        while (i < atomCount)
        {
            int cx, cy, cz;
            if (large)
            {
                cx = (int)ReadBits(ref buf, fastEnd, length, ref bitPos, bitsX);
                cy = (int)ReadBits(ref buf, fastEnd, length, ref bitPos, bitsY);
                cz = (int)ReadBits(ref buf, fastEnd, length, ref bitPos, bitsZ);
            }
            else
            {
                ReadTriple(ref buf, fastEnd, length, ref bitPos, bitSize, sY, sZ, out cx, out cy, out cz);
            }
            cx += minX;
            cy += minY;
            cz += minZ;

            // One flag bit, then (if set) 5 bits: run length in atoms * 3 plus (change of smallidx + 1).
            int isSmaller = 0;
            ulong window = Peek(ref buf, fastEnd, length, bitPos);
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
                    errorByte = bitPos >> 3;
                    return $"compressed coordinate data is corrupt: a run of {count} atoms after atom {i + 1} overflows the {atomCount} atoms of the frame";
                }

                // The first small atom was coded before the large one (water: O H H written as H O H): swap back.
                ReadTriple(ref buf, fastEnd, length, ref bitPos, smallIdx, sizeSmall, sizeSmall, out int dx, out int dy, out int dz);
                int px = dx + cx - smallNum, py = dy + cy - smallNum, pz = dz + cz - smallNum;
                Store(ref xs, ref ys, ref zs, i, px, py, pz, inv, unitScale);
                Store(ref xs, ref ys, ref zs, i + 1, cx, cy, cz, inv, unitScale);
                i += 2;
                for (int k = 1; k < count; k++)
                {
                    ReadTriple(ref buf, fastEnd, length, ref bitPos, smallIdx, sizeSmall, sizeSmall, out dx, out dy, out dz);
                    px += dx - smallNum;
                    py += dy - smallNum;
                    pz += dz - smallNum;
                    Store(ref xs, ref ys, ref zs, i, px, py, pz, inv, unitScale);
                    i++;
                }
            }
            else
            {
                Store(ref xs, ref ys, ref zs, i, cx, cy, cz, inv, unitScale);
                i++;
            }

            if (isSmaller != 0)
            {
                smallIdx += isSmaller;
                if (smallIdx < FirstIdx || smallIdx >= LastIdx)
                {
                    errorByte = bitPos >> 3;
                    return $"compressed coordinate data is corrupt: small-integer index went out of range ({smallIdx}) at atom {i}";
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
            }
        }

        long usedBytes = (bitPos + 7) >> 3;
        if (usedBytes > compressedBytes)
        {
            errorByte = compressedBytes;
            return $"compressed coordinate data is corrupt: decoding {atomCount} atoms needs {usedBytes} bytes but the frame holds {compressedBytes}";
        }
        return null;
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

    /// <summary>64 bits of the stream starting at <paramref name="bitPos"/>, most significant first; at least 57 are valid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Peek(ref byte buf, long fastEnd, long length, long bitPos)
    {
        long byteIndex = bitPos >> 3;
        ulong word = byteIndex <= fastEnd
            ? BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref buf, (nint)byteIndex)))
            : PeekTail(ref buf, length, byteIndex);
        return word << (int)(bitPos & 7);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong PeekTail(ref byte buf, long length, long byteIndex)
    {
        ulong word = 0;
        for (int k = 0; k < 8; k++)
        {
            long at = byteIndex + k;
            word = (word << 8) | (at < length ? Unsafe.Add(ref buf, (nint)at) : 0UL);
        }
        return word;
    }

    /// <summary>Reads 1..57 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadBits(ref byte buf, long fastEnd, long length, ref long bitPos, int bits)
    {
        ulong value = Peek(ref buf, fastEnd, length, bitPos) >> (64 - bits);
        bitPos += bits;
        return value;
    }

    /// <summary>
    /// Reads the packed integer of <paramref name="bits"/> (1..64) bits as <c>receiveints</c> assembles it: the stream
    /// holds its low byte first, each byte most significant bit first, and the top (partial) byte last.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadPacked(ref byte buf, long fastEnd, long length, ref long bitPos, int bits)
    {
        ulong v = bits <= 57
            ? ReadBits(ref buf, fastEnd, length, ref bitPos, bits)
            : ReadWide(ref buf, fastEnd, length, ref bitPos, bits);
        int fullBytes = (bits - 1) >> 3;
        int topBits = bits - 8 * fullBytes;
        ulong low = v >> topBits;                      // the full bytes, first one most significant
        ulong top = v & ((1UL << topBits) - 1);
        // Put the first byte at the bottom; for fullBytes == 0 the shift count is 64 ≡ 0 and low is 0.
        ulong reversed = BinaryPrimitives.ReverseEndianness(low << (64 - 8 * fullBytes));
        return reversed | (top << (8 * fullBytes));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadWide(ref byte buf, long fastEnd, long length, ref long bitPos, int bits)
    {
        ulong high = ReadBits(ref buf, fastEnd, length, ref bitPos, bits - 32);
        ulong low = ReadBits(ref buf, fastEnd, length, ref bitPos, 32);
        return (high << 32) | low;
    }

    /// <summary>Reads a packed triple of <paramref name="bits"/> bits and splits it as (a·s1 + b)·s2 + c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadTriple(ref byte buf, long fastEnd, long length, ref long bitPos, int bits, uint s1, uint s2,
        out int a, out int b, out int c)
    {
        if (bits <= 32)
        {
            // The common case for small integers (smallidx <= 32) and compact systems: 32-bit divisions.
            uint n = (uint)ReadPacked(ref buf, fastEnd, length, ref bitPos, bits);
            uint q = n / s2;
            c = (int)(n - q * s2);
            uint q2 = q / s1;
            b = (int)(q - q2 * s1);
            a = (int)q2;
        }
        else if (bits <= 64)
        {
            ulong n = ReadPacked(ref buf, fastEnd, length, ref bitPos, bits);
            ulong q = n / s2;
            c = (int)(n - q * s2);
            ulong q2 = q / s1;
            b = (int)(q - q2 * s1);
            a = (int)(uint)q2; // receiveints keeps the low 4 bytes of the last quotient
        }
        else
        {
            // Kept out of line, and given bitPos by value so that the caller's position stays in a register.
            (a, b, c) = ReadTripleBytewise(ref buf, fastEnd, length, bitPos, bits, s1, s2);
            bitPos += bits;
        }
    }

    /// <summary>The general <c>receiveints</c>: packed integers wider than 64 bits (up to 72 here), divided byte by byte.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (int A, int B, int C) ReadTripleBytewise(ref byte buf, long fastEnd, long length, long bitPos, int bits,
        uint s1, uint s2)
    {
        Span<uint> bytes = stackalloc uint[16];
        bytes.Clear();
        int count = 0;
        while (bits > 8)
        {
            bytes[count++] = (uint)ReadBits(ref buf, fastEnd, length, ref bitPos, 8);
            bits -= 8;
        }
        bytes[count++] = (uint)ReadBits(ref buf, fastEnd, length, ref bitPos, bits);

        int c = (int)DivideInPlace(bytes[..count], s2);
        int b = (int)DivideInPlace(bytes[..count], s1);
        int a = (int)(bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24));
        return (a, b, c);
    }

    /// <summary>Divides the little-endian base-256 number in place and returns the remainder.</summary>
    private static uint DivideInPlace(Span<uint> bytes, uint divisor)
    {
        ulong rest = 0;
        for (int j = bytes.Length - 1; j >= 0; j--)
        {
            rest = (rest << 8) | bytes[j];
            ulong q = rest / divisor;
            bytes[j] = (uint)q;
            rest -= q * divisor;
        }
        return (uint)rest;
    }
}
