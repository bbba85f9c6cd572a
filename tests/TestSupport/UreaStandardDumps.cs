using System.Globalization;
using System.IO.Compression;
using System.Text;
namespace StreamMonitor.TestSupport;

/// <summary>
/// The form I urea frames of the committed trajectory <c>urea-form-I-200K.lammpstrj.gz</c> (tests/StreamMonitor.Monitoring.Tests/Data/urea) written out again by Debian's unmodified LAMMPS
/// (<c>rerun</c> with no forces) as the dumps people have: atom types 1 H, 2 O, 3 C, 4 N from a data file, and
/// <list type="bullet">
/// <item><see cref="Reference"/>: <c>id mol type sym_type x y z</c>, sym_type from the data file through
/// <c>fix property/atom</c> (LAMMPS names the column <c>i_sym_type</c>; this LAMMPS has no <c>dump_modify colname</c>, so
/// the header word is renamed), the reference program's roles;</item>
/// <item><see cref="ElementNames"/>: <c>id mol type element x y z</c> with <c>dump_modify element H O C N</c>;</item>
/// <item><see cref="AtomicNumbers"/>: <c>id mol element x y z</c> with <c>dump_modify element 1 8 6 7</c>;</item>
/// <item><see cref="Masses"/>: <c>id mol mass x y z</c>;</item>
/// <item><see cref="TypesOnly"/>: <c>id mol type x y z</c>, which needs <c>--roles C=3,O=2,N=4</c>;</item>
/// <item><see cref="TypesAndOtherIds"/>: <c>id mol type element x y z</c> with <c>dump_modify element 4 3 2 1</c>, an
/// element column of other ids, where the same mapping reads differently on the two columns.</item>
/// </list>
/// All from one LAMMPS run, so every dump holds the same positions (wrapped into the cell by LAMMPS, 0.001 Å).
/// </summary>
public sealed class UreaStandardDumps : IDisposable
{
    private readonly TempDirectory _directory = new("urea-standard-dumps-");

    /// <summary>The committed form I trajectory (5 frames, 432 molecules, <c>id mol element sym_type x y z</c>).</summary>
    public static string FormI200K => Path.Combine(RepositoryPaths.Root, "tests", "StreamMonitor.Monitoring.Tests", "Data", "urea", "urea-form-I-200K.lammpstrj.gz");

    public UreaStandardDumps()
    {
        var fixture = _directory.File("fixture.lammpstrj");
        using (var gz = new GZipStream(File.OpenRead(FormI200K), CompressionMode.Decompress))
        using (var output = File.Create(fixture))
            gz.CopyTo(output);
        File.WriteAllText(_directory.File("urea.data"), DataFile(fixture));
        Lammps.RunInput(_directory.Path, """
            units real
            atom_style molecular
            fix sym all property/atom i_sym_type
            read_data urea.data fix sym NULL SymTypes
            pair_style zero 10.0
            pair_coeff * *
            dump reference all custom 1 reference.lammpstrj id mol type i_sym_type x y z
            dump_modify reference sort id format float %.3f
            dump names all custom 1 names.lammpstrj id mol type element x y z
            dump_modify names element H O C N sort id format float %.3f
            dump numbers all custom 1 numbers.lammpstrj id mol element x y z
            dump_modify numbers element 1 8 6 7 sort id format float %.3f
            dump masses all custom 1 masses.lammpstrj id mol mass x y z
            dump_modify masses sort id format float %.3f
            dump types all custom 1 types.lammpstrj id mol type x y z
            dump_modify types sort id format float %.3f
            dump ids all custom 1 ids.lammpstrj id mol type element x y z
            dump_modify ids element 4 3 2 1 sort id format float %.3f
            rerun fixture.lammpstrj dump x y z box yes
            """);
        File.WriteAllText(Reference, File.ReadAllText(Reference).Replace("ITEM: ATOMS id mol type i_sym_type x y z", "ITEM: ATOMS id mol type sym_type x y z"));
    }

    public const int Frames = 5;

    public string Reference => _directory.File("reference.lammpstrj");
    public string ElementNames => _directory.File("names.lammpstrj");
    public string AtomicNumbers => _directory.File("numbers.lammpstrj");
    public string Masses => _directory.File("masses.lammpstrj");
    public string TypesOnly => _directory.File("types.lammpstrj");
    public string TypesAndOtherIds => _directory.File("ids.lammpstrj");

    /// <summary>
    /// A LAMMPS data file (atom_style molecular, no bonds: nothing moves in a rerun) of the fixture's first frame: its ids
    /// and molecules, type = its <c>element</c> (1 H, 2 O, 3 C, 4 N), and a SymTypes section with its sym_type.
    /// </summary>
    private static string DataFile(string fixture)
    {
        var inv = CultureInfo.InvariantCulture;
        int n = int.Parse(File.ReadLines(fixture).ElementAt(3), inv);
        var lines = File.ReadLines(fixture).Take(9 + n).ToArray();
        var header = lines[8].Split(' ', StringSplitOptions.RemoveEmptyEntries)[2..];
        int Col(string name) => Array.IndexOf(header, name);
        var rows = lines[9..(9 + n)].Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var data = new StringBuilder($"urea form I from {Path.GetFileName(FormI200K)}\n\n{n} atoms\n4 atom types\n\n");
        for (int k = 0; k < 3; k++)
        {
            var bounds = lines[5 + k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            data.Append(inv, $"{bounds[0]} {bounds[1]} {"xyz"[k]}lo {"xyz"[k]}hi\n");
        }
        data.Append("\nMasses\n\n1 1.008\n2 15.999\n3 12.011\n4 14.007\n\nAtoms # molecular\n\n");
        foreach (var r in rows) data.Append($"{r[Col("id")]} {r[Col("mol")]} {r[Col("element")]} {r[Col("x")]} {r[Col("y")]} {r[Col("z")]}\n");
        data.Append("\nSymTypes\n\n");
        foreach (var r in rows) data.Append($"{r[Col("id")]} {r[Col("sym_type")]}\n");
        return data.ToString();
    }

    public void Dispose() => _directory.Dispose();
}
