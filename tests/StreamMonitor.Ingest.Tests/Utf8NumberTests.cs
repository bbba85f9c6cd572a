using System.Globalization;
using System.Text;
using StreamMonitor.Ingest.Text;

namespace StreamMonitor.Ingest.Tests;

/// <summary>Numbers read in place (the one-pass row reading) are the framework's, bit for bit, or refused.</summary>
public sealed class Utf8NumberTests
{
    [Fact]
    public void A_decimal_read_in_place_is_the_frameworks_or_left_to_it()
    {
        var random = new Random(7);
        int taken = 0;
        for (int k = 0; k < 20000; k++)
        {
            string text = RandomDecimal(random);
            // Compared bit for bit (the sign of a zero too). Inside a row: a blank before, another field after.
            long expected = BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture));
            if (ReadsAsTheFramework(text, expected, " ", " 9", Bits(Utf8Number.TryParseDoubleAt), Bits(Utf8Number.TryParseDouble))) taken++;
        }
        Assert.InRange(taken, 10000, 19000); // most in place, some (long mantissas, large exponents) left to the framework
    }

    [Fact]
    public void An_integer_read_in_place_is_the_frameworks_or_left_to_it()
    {
        var random = new Random(11);
        int taken = 0;
        for (int k = 0; k < 20000; k++)
        {
            // Any size a long holds, sometimes zero-padded, with or without a sign.
            long magnitude = random.NextInt64(0, long.MaxValue) / (long)Math.Pow(10, random.Next(19));
            string digits = new string('0', random.Next(4) == 0 ? random.Next(1, 4) : 0) + magnitude.ToString(CultureInfo.InvariantCulture);
            string text = (random.Next(3) switch { 0 => "-", 1 => "+", _ => "" }) + digits;
            if (ReadsAsTheFramework(text, long.Parse(text, CultureInfo.InvariantCulture), "\t", "\n", Utf8Number.TryParseInt64At, Utf8Number.TryParseInt64))
                taken++;
            else Assert.True(digits.Length > 18, text); // only what may not fit is left to the framework
        }
        Assert.InRange(taken, 15000, 19900);
    }

    [Theory]
    [InlineData("x", false)]
    [InlineData("-", false)]
    [InlineData(".", false)]
    [InlineData("-.e5", false)]
    [InlineData("e5", false)]
    [InlineData("1e", false)]
    [InlineData("", false)]
    [InlineData("x", true)]
    [InlineData("-", true)]
    [InlineData("+", true)]
    [InlineData(".5", true)]
    [InlineData("", true)]
    public void What_is_not_a_number_is_refused_in_place(string text, bool integer)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        int i = 0;
        Assert.False(integer ? Utf8Number.TryParseInt64At(bytes, ref i, out _) : Utf8Number.TryParseDoubleAt(bytes, ref i, out _));
    }

    private delegate bool InPlace<T>(ReadOnlySpan<byte> s, ref int i, out T value);

    private delegate bool Whole<T>(ReadOnlySpan<byte> s, out T value);

    /// <summary>
    /// <paramref name="text"/> read in place between <paramref name="before"/> and <paramref name="after"/> is
    /// <paramref name="expected"/>, ending where the text does, or refused; read as a token it is always expected. True
    /// when it was read in place.
    /// </summary>
    private static bool ReadsAsTheFramework<T>(string text, T expected, string before, string after, InPlace<T> inPlace, Whole<T> whole)
    {
        int i = before.Length;
        bool taken = inPlace(Encoding.ASCII.GetBytes(before + text + after), ref i, out T value);
        if (taken)
        {
            Assert.Equal(before.Length + text.Length, i);
            Assert.Equal(expected, value);
        }
        Assert.True(whole(Encoding.ASCII.GetBytes(text), out T token), text);
        Assert.Equal(expected, token);
        return taken;
    }

    private static InPlace<long> Bits(InPlace<double> read) => (ReadOnlySpan<byte> s, ref int i, out long bits) =>
    {
        bool ok = read(s, ref i, out double value);
        bits = BitConverter.DoubleToInt64Bits(value);
        return ok;
    };

    private static Whole<long> Bits(Whole<double> read) => (ReadOnlySpan<byte> s, out long bits) =>
    {
        bool ok = read(s, out double value);
        bits = BitConverter.DoubleToInt64Bits(value);
        return ok;
    };

    /// <summary>Decimals as MD codes print them, and some they might: 0–25 digits around an optional point, an optional exponent.</summary>
    private static string RandomDecimal(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(3) == 0) text.Append(random.Next(2) == 0 ? '-' : '+');
        int whole = random.Next(0, 13), fraction = random.Next(whole == 0 ? 1 : 0, random.Next(2) == 0 ? 8 : 14);
        for (int d = 0; d < whole; d++) text.Append((char)('0' + random.Next(10)));
        if (fraction > 0 || random.Next(4) == 0) text.Append('.');
        for (int d = 0; d < fraction; d++) text.Append((char)('0' + random.Next(10)));
        if (random.Next(3) == 0) text.Append(random.Next(2) == 0 ? 'e' : 'E').Append(random.Next(3) switch { 0 => "-", 1 => "+", _ => "" }).Append(random.Next(0, 31));
        return text.ToString();
    }
}
