using System.Globalization;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;

namespace StreamMonitor.Metrics.Tests;

public class LineProtocolWriterTests
{
    [Fact]
    public void Names_and_strings_are_escaped_as_InfluxDB_Client_escapes_them()
    {
        const string tagValue = "run, one=a b\"q\\x\nnext";
        const string fieldKey = "class_b,c d=e";
        const string text = "he said \"hi\" \\ back\nnew line";
        using var ours = new LineProtocolWriter();
        ours.Measurement("frame summary,x").Tag("run", tagValue).Field(fieldKey, 42L).Field("message", text).Field("ok", true);
        Assert.True(ours.EndLine(1_700_000_000_123_000_007));

        var theirs = PointData.Measurement("frame summary,x").Tag("run", tagValue)
            .Field(fieldKey, 42L).Field("message", text).Field("ok", true)
            .Timestamp(1_700_000_000_123_000_007L, WritePrecision.Ns);

        Assert.Equal(theirs.ToLineProtocol() + "\n", ours.ToString());
    }

    [Fact]
    public void Floats_read_back_as_the_same_double_and_integers_carry_their_suffix()
    {
        double[] values = [0.1, 1e-5, 1.5e20, -3.25, 1.0 / 3, double.Epsilon, 1e300];
        using var writer = new LineProtocolWriter();
        writer.Measurement("m");
        for (int i = 0; i < values.Length; i++) writer.Field($"f{i}", values[i]);
        writer.Field("n", -7L);
        writer.EndLine(1);
        var fields = writer.ToString().Split(' ')[1].Split(',');
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(values[i], double.Parse(fields[i].Split('=')[1], CultureInfo.InvariantCulture));
        Assert.Equal("n=-7i", fields[^1]);
    }

    [Fact]
    public void A_backslash_that_would_escape_the_next_character_is_doubled()
    {
        using var writer = new LineProtocolWriter();
        writer.Measurement("m").Tag("t", "a\\b").Tag("u", "end\\").Tag("v", "x\\,y").Field("f", 1L);
        writer.EndLine(1);
        Assert.Equal("m,t=a\\b,u=end\\\\,v=x\\\\\\,y f=1i 1\n", writer.ToString());
    }

    [Fact]
    public void A_point_without_fields_and_non_finite_floats_are_left_out()
    {
        using var writer = new LineProtocolWriter();
        writer.Measurement("m").Tag("t", "x").Field("nan", double.NaN).Field("inf", double.PositiveInfinity);
        Assert.False(writer.EndLine(1));
        writer.Measurement("m").Tag("empty", "").Field("nan", double.NaN).Field("ok", 2.5);
        Assert.True(writer.EndLine(2));
        Assert.Equal("m ok=2.5 2\n", writer.ToString());
        Assert.Equal(1, writer.LineCount);
    }

    [Fact]
    public void Line_ends_skip_newlines_inside_string_fields_but_not_quotes_in_tags()
    {
        using var writer = new LineProtocolWriter();
        writer.Measurement("m").Tag("q", "a\"b").Field("s", "one\ntwo \"x\"").EndLine(1);
        writer.Measurement("m").Tag("q", "c").Field("s", "three").EndLine(2);
        var bytes = writer.Written.ToArray();
        Assert.Equal(writer.LineEnds, LineProtocol.LineEnds(bytes));

        using var copy = new LineProtocolWriter();
        copy.AppendLines(bytes);
        Assert.Equal(2, copy.LineCount);
        Assert.Equal(writer.ToString(), copy.ToString());
    }
}
