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
            double expected = double.Parse(text, CultureInfo.InvariantCulture);
            // Inside a row: a blank before, another field after.
            var row = Encoding.ASCII.GetBytes($" {text} 9");
            int i = 1;
            if (Utf8Number.TryParseDoubleAt(row, ref i, out double value))
            {
                taken++;
                Assert.Equal(1 + text.Length, i);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(value));
            }
            Assert.True(Utf8Number.TryParseDouble(Encoding.ASCII.GetBytes(text), out double token), text);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(token));
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
            long expected = long.Parse(text, CultureInfo.InvariantCulture);
            var row = Encoding.ASCII.GetBytes($"\t{text}\n");
            int i = 1;
            if (Utf8Number.TryParseInt64At(row, ref i, out long value))
            {
                taken++;
                Assert.Equal(1 + text.Length, i);
                Assert.Equal(expected, value);
            }
            else Assert.True(digits.Length > 18, text); // only what may not fit is left to the framework
            Assert.True(Utf8Number.TryParseInt64(Encoding.ASCII.GetBytes(text), out long token), text);
            Assert.Equal(expected, token);
        }
        Assert.InRange(taken, 15000, 19900);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("-.e5")]
    [InlineData("e5")]
    [InlineData("1e")]
    [InlineData("")]
    public void What_is_not_a_decimal_is_refused_in_place(string text)
    {
        int i = 0;
        Assert.False(Utf8Number.TryParseDoubleAt(Encoding.ASCII.GetBytes(text), ref i, out _));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData(".5")]
    [InlineData("")]
    public void What_is_not_an_integer_is_refused_in_place(string text)
    {
        int i = 0;
        Assert.False(Utf8Number.TryParseInt64At(Encoding.ASCII.GetBytes(text), ref i, out _));
    }

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
