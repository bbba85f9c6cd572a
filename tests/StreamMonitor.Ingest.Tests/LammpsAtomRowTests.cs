using System.Globalization;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Ingest.Tests;

/// <summary>
/// Atom rows are read in one pass where they can be and a field at a time where not: either way a row gives the numbers
/// the framework parses from its text, and a bad row the error that names its field.
/// </summary>
public sealed class LammpsAtomRowTests : IDisposable
{
    private const string Columns = "id type x y z c_pe";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Every_row_shape_gives_the_numbers_the_framework_parses()
    {
        string[] rows =
        [
            "1 1 0.5 1.25 -2.75 1e-05",                              // as LAMMPS prints
            "2\t2\t+1.5\t1E+2\t-0\t-3.5e2",                          // tabs, signs, a capital exponent
            "3 1 0.12345678901234567890123 1e30 0000012.5 7",        // 23 digits and 10^30: the framework's parser
            "  4 2 1.5 2.5 3.5 4.5  \r",                             // blanks around, a carriage return
            "5 1 .5 5. 1e0 -1.5E-3",                                 // no whole part, no fraction digits
            "000006 1 3 4 5 123456789012345678901234567890",         // a padded id, whole numbers as reals
        ];
        using var reader = TrajectoryReader.Open(Dump(rows), TrajectoryFormats.Lammps);
        using var frame = reader.Read()!;
        var pe = frame.Column("c_pe")!;
        Assert.Equal(rows.Length, frame.AtomCount);
        for (int a = 0; a < rows.Length; a++)
        {
            var fields = rows[a].Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(int.Parse(fields[0], CultureInfo.InvariantCulture), frame.Ids[a]);
            Assert.Equal(int.Parse(fields[1], CultureInfo.InvariantCulture), frame.Types[a]);
            Assert.Equal((float)Real(fields[2]), frame.X[a]);
            Assert.Equal((float)Real(fields[3]), frame.Y[a]);
            Assert.Equal((float)Real(fields[4]), frame.Z[a]);
            Assert.Equal(BitConverter.DoubleToInt64Bits(Real(fields[5])), BitConverter.DoubleToInt64Bits(pe.Values[a]));
        }
    }

    [Theory]
    [InlineData("7 1 1.5x 2.5 3.5 0", "bad number '1.5x' in column 'x' of atom line 2")]
    [InlineData("7 1e0 1.5 2.5 3.5 0", "bad number '1e0' in column 'type' of atom line 2")]
    [InlineData("7 1 1.5 2.5 nan 0", "non-finite coordinate 'nan' in column 'z' of atom line 2")]
    [InlineData("7 1 1.5 2.5", "atom line has 4 fields, expected 6 (id type x y z c_pe)")]
    [InlineData("7 1 1.5 2.5 3.5 0 9", "atom line has more than 6 fields (id type x y z c_pe)")]
    public void A_bad_row_is_named_with_its_field(string bad, string message)
    {
        var path = Dump("1 1 0.5 0.5 0.5 0", bad, "3 1 0.5 0.5 0.5 0");
        var e = Assert.Throws<TrajectoryFormatException>(() =>
        {
            using var reader = TrajectoryReader.Open(path, TrajectoryFormats.Lammps);
            reader.Read()?.Dispose();
        });
        Assert.Contains(message, e.Message);
        Assert.Equal(11, e.Line); // nine header lines, then the second row
    }

    private static double Real(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private string Dump(params string[] rows)
    {
        var path = _temp.File($"rows-{Guid.NewGuid():N}.lammpstrj");
        File.WriteAllText(path, $"""
            ITEM: TIMESTEP
            0
            ITEM: NUMBER OF ATOMS
            {rows.Length}
            ITEM: BOX BOUNDS pp pp pp
            0 10
            0 10
            0 10
            ITEM: ATOMS {Columns}

            """ + string.Join('\n', rows) + "\n");
        return path;
    }
}
