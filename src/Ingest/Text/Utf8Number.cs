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
        int i = 0, n = s.Length;
        if (n == 0) { value = 0; return false; }
        bool negative = false;
        byte c = s[0];
        if (c == (byte)'-') { negative = true; i = 1; }
        else if (c == (byte)'+') i = 1;

        ulong mantissa = 0;
        int digits = 0, fractionDigits = 0;
        bool any = false;
        while (i < n && (uint)(s[i] - '0') <= 9)
        {
            if (digits < 19) { mantissa = mantissa * 10 + (uint)(s[i] - '0'); if (mantissa != 0) digits++; }
            else return Slow(s, out value);
            any = true;
            i++;
        }
        if (i < n && s[i] == (byte)'.')
        {
            i++;
            while (i < n && (uint)(s[i] - '0') <= 9)
            {
                if (digits < 19) { mantissa = mantissa * 10 + (uint)(s[i] - '0'); if (mantissa != 0) digits++; fractionDigits++; }
                else return Slow(s, out value);
                any = true;
                i++;
            }
        }
        if (!any) return Slow(s, out value);
        int exponent = 0;
        if (i < n && (s[i] | 0x20) == (byte)'e')
        {
            i++;
            bool expNegative = false;
            if (i < n && (s[i] == (byte)'-' || s[i] == (byte)'+')) { expNegative = s[i] == (byte)'-'; i++; }
            int start = i;
            while (i < n && (uint)(s[i] - '0') <= 9 && i - start < 5) { exponent = exponent * 10 + (s[i] - '0'); i++; }
            if (i == start) return Slow(s, out value);
            if (expNegative) exponent = -exponent;
        }
        if (i != n) return Slow(s, out value);

        int scale = exponent - fractionDigits;
        if (mantissa > (1UL << 53) || scale < -22 || scale > 22) return Slow(s, out value);
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
        int i = 0, n = s.Length;
        bool negative = false;
        if (n > 0 && (s[0] == (byte)'-' || s[0] == (byte)'+')) { negative = s[0] == (byte)'-'; i = 1; }
        if (i == n || n - i > 18) return Utf8Parser.TryParse(s, out value, out int used) && used == n;
        long v = 0;
        for (; i < n; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9) { value = 0; return false; }
            v = v * 10 + d;
        }
        value = negative ? -v : v;
        return true;
    }

    public static bool TryParseInt32(ReadOnlySpan<byte> s, out int value)
    {
        if (TryParseInt64(s, out long v) && v is >= int.MinValue and <= int.MaxValue) { value = (int)v; return true; }
        value = 0;
        return false;
    }
}
