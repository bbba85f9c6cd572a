using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace StreamMonitor.Ingest.Text;

/// <summary>
/// Number parsing straight from UTF-8 bytes. The common shapes MD codes print ("-12.345", "1.5e-05") take a
/// fast path that is exact (Clinger: a mantissa below 2^53 scaled by an exactly representable power of ten);
/// anything else goes to the framework parser, so results always equal <see cref="double.Parse(string)"/>.
/// </summary>
internal static class Utf8Number
{
    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value)
    {
        int i = 0;
        if (TryParseDoubleAt(s, ref i, out value) && i == s.Length) return true;
        return Slow(s, out value);
    }

    /// <summary>
    /// The number in one of the fast path's shapes that starts at <paramref name="s"/>[<paramref name="i"/>], moving
    /// <paramref name="i"/> past its last byte; false (i moved anywhere) when no such number starts there, so that a
    /// caller reading fields in place can read the field as a token instead. What it accepts, <see cref="TryParseDouble"/>
    /// gives the same value for.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseDoubleAt(ReadOnlySpan<byte> s, ref int i, out double value)
    {
        value = 0;
        int n = s.Length;
        if (i >= n) return false;
        bool negative = false;
        byte c = s[i];
        if (c == (byte)'-') { negative = true; i++; }
        else if (c == (byte)'+') i++;

        ulong mantissa = 0;
        int digits = 0, fractionDigits = 0;
        bool any = false;
        while (i < n && (uint)(s[i] - '0') <= 9)
        {
            if (digits == 19) return false;
            mantissa = mantissa * 10 + (uint)(s[i] - '0');
            if (mantissa != 0) digits++;
            any = true;
            i++;
        }
        if (i < n && s[i] == (byte)'.')
        {
            i++;
            while (i < n && (uint)(s[i] - '0') <= 9)
            {
                if (digits == 19) return false;
                mantissa = mantissa * 10 + (uint)(s[i] - '0');
                if (mantissa != 0) digits++;
                fractionDigits++;
                any = true;
                i++;
            }
        }
        if (!any) return false;
        int exponent = 0;
        if (i < n && (s[i] | 0x20) == (byte)'e')
        {
            i++;
            bool expNegative = false;
            if (i < n && (s[i] == (byte)'-' || s[i] == (byte)'+')) { expNegative = s[i] == (byte)'-'; i++; }
            int start = i;
            while (i < n && (uint)(s[i] - '0') <= 9 && i - start < 5) { exponent = exponent * 10 + (s[i] - '0'); i++; }
            if (i == start) return false;
            if (expNegative) exponent = -exponent;
        }

        int scale = exponent - fractionDigits;
        if (mantissa > (1UL << 53) || scale < -22 || scale > 22) return false;
        double v = mantissa;
        v = scale < 0 ? v / PowersOfTen[-scale] : v * PowersOfTen[scale];
        value = negative ? -v : v;
        return true;
    }

    private static bool Slow(ReadOnlySpan<byte> s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseInt64(ReadOnlySpan<byte> s, out long value)
    {
        int i = 0;
        if (TryParseInt64At(s, ref i, out value) && i == s.Length) return true;
        // Longer numbers, and whatever else the loop refused, as the framework reads them (it agrees where both read).
        return Utf8Parser.TryParse(s, out value, out int used) && used == s.Length;
    }

    /// <summary>
    /// The integer of at most 18 digits that starts at <paramref name="s"/>[<paramref name="i"/>] (with its sign), moving
    /// <paramref name="i"/> past its last digit; false otherwise, as <see cref="TryParseDoubleAt"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseInt64At(ReadOnlySpan<byte> s, ref int i, out long value)
    {
        value = 0;
        int n = s.Length;
        bool negative = false;
        if (i < n && (s[i] == (byte)'-' || s[i] == (byte)'+')) { negative = s[i] == (byte)'-'; i++; }
        int start = i;
        long v = 0;
        for (; i < n; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9) break;
            if (i - start == 18) return false;
            v = v * 10 + d;
        }
        if (i == start) return false;
        value = negative ? -v : v;
        return true;
    }

    /// <summary><see cref="TryParseInt64At"/> for a value that fits an <see cref="int"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseInt32At(ReadOnlySpan<byte> s, ref int i, out int value)
    {
        bool ok = TryParseInt64At(s, ref i, out long v) && v is >= int.MinValue and <= int.MaxValue;
        value = ok ? (int)v : 0;
        return ok;
    }

    public static bool TryParseInt32(ReadOnlySpan<byte> s, out int value)
    {
        if (TryParseInt64(s, out long v) && v is >= int.MinValue and <= int.MaxValue) { value = (int)v; return true; }
        value = 0;
        return false;
    }
}
