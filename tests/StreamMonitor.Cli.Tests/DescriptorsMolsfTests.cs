using System.Globalization;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>
/// <c>streammonitor descriptors --kind molsf</c> and <c>--kind surface</c> on the urea and nicotinamide crystals of
/// data/molstrucclassifier, checked against the reference program's features (tests/StreamMonitor.Analysis.Tests/Data,
/// see its README), and the one-line errors for the inputs a user gets wrong.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DescriptorsMolsfTests : IDisposable
{
    private static readonly string Crystals = RepositoryPaths.MolStrucClassifier;
    private static readonly string Urea = Path.Combine(Crystals, "urea", "form-I-3456atoms.dump");
    private static readonly string Nicotinamide = Path.Combine(Crystals, "nicotinamide", "nico_testtraj.dump");
    private static readonly string ReferenceData = Path.Combine(RepositoryPaths.Root, "tests", "StreamMonitor.Analysis.Tests", "Data");
    private static readonly string FeatureHeader = "frame,mol," + string.Join(",", Enumerable.Range(1, 24).Select(i => $"sf{i}"));

    private readonly TempDirectory _temp = new("streammonitor-molsf-");

    public void Dispose() => _temp.Dispose();

    private static List<double[]> Rows(string csv, string header)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(header, lines[0]);
        return lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
    }

    private static void AssertMatchesReference(List<double[]> rows, string referenceFile, double tolerance)
    {
        var reference = Rows(File.ReadAllText(Path.Combine(ReferenceData, referenceFile)), FeatureHeader);
        Assert.Equal(reference.Count, rows.Count);
        double worst = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            Assert.Equal(reference[r][..2], rows[r][..2]); // frame, mol
            for (int f = 2; f < 26; f++)
                worst = Math.Max(worst, Math.Abs(rows[r][f] - reference[r][f]) / Math.Max(Math.Abs(reference[r][f]), 1e-3));
        }
        Assert.True(worst < tolerance, $"largest relative difference to {referenceFile}: {worst:E2}");
    }

    /// <summary>The urea dump in LAMMPS text: box lines and atom rows (id mol element sym_type x y z) of its first frame.</summary>
    private static (string[] Box, List<string[]> Atoms) UreaFirstFrame()
    {
        var lines = File.ReadAllLines(Urea);
        int n = int.Parse(lines[3], CultureInfo.InvariantCulture);
        return (lines[5..8], lines[9..(9 + n)].Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList());
    }

    private string WriteDump(string name, string[] box, string columns, IEnumerable<string> rows)
    {
        var rowList = rows.ToList();
        var path = _temp.File(name);
        File.WriteAllText(path,
            $"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n{rowList.Count}\nITEM: BOX BOUNDS pp pp pp\n{string.Join('\n', box)}\nITEM: ATOMS {columns}\n" +
            string.Join('\n', rowList) + "\n");
        return path;
    }

    private static double Number(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void UreaPresetMatchesTheReferenceProgram()
    {
        var r = StreamMonitorCli.Run("descriptors", Urea, "--kind", "molsf", "--preset", "urea");
        Assert.True(r.ExitCode == 0, r.StandardError);
        Assert.Equal("", r.StandardError);
        // Orthogonal box; the reference prints 6 digits and reads double positions (ours are float32): ~1e-5.
        AssertMatchesReference(Rows(r.StandardOutput, FeatureHeader), "molsf-reference-urea-form-I.csv", 2e-5);
    }

    [Fact]
    public void NicotinamideOnItsTriclinicCellMatchesTheReferenceWhereTheReferenceIsRight()
    {
        var r = StreamMonitorCli.Run("descriptors", Nicotinamide, "--kind", "molsf", "--preset", "nicotinamide");
        Assert.True(r.ExitCode == 0, r.StandardError);
        AssertMatchesReference(Rows(r.StandardOutput, FeatureHeader), "molsf-reference-nicotinamide-orthogonalised.csv", 1e-5);
    }

    [Fact]
    public void AParameterFileInTheReferenceFormatGivesThePresetsRows()
    {
        var preset = StreamMonitorCli.Run("descriptors", Urea, "--kind", "molsf", "--preset", "urea", "--frame", "1");
        var file = StreamMonitorCli.Run("descriptors", Urea, "--kind", "molsf", "--params", Path.Combine(Crystals, "urea", "INPUT_urea.dat"), "--frame", "1");
        Assert.True(file.ExitCode == 0, file.StandardError);
        Assert.Equal(preset.StandardOutput, file.StandardOutput);
        Assert.Equal(432, Rows(file.StandardOutput, FeatureHeader).Count(row => row[0] == 1));
    }

    [Fact]
    public void ErrorsNameWhatIsMissing()
    {
        var (box, atoms) = UreaFirstFrame();
        var noMol = WriteDump("no-mol.dump", box, "id element sym_type x y z",
            atoms.Select(a => string.Join(' ', a[0], a[2], a[3], a[4], a[5], a[6])));
        // Whole molecules from the middle of the crystal in a 15 Å box: r_max = 10 Å is more than half of it.
        var inside = atoms.GroupBy(a => a[1]).Where(g => g.All(a => a[4..7].All(c => Number(c) is > 5 and < 20))).SelectMany(g => g);
        var small = WriteDump("small.dump", ["0 15", "0 15", "0 15"], "id mol element sym_type x y z",
            inside.Select(a => string.Join(' ', a[..4].Concat(a[4..7].Select(c => (Number(c) - 5).ToString("R", CultureInfo.InvariantCulture))))));
        var badParams = _temp.File("bad.dat");
        File.WriteAllText(badParams, "center atom      1\ncutoffmin        9.8\ncutoffmax        10.0\nnumber_of_para   2\npoint            true\nG2G3             G2\nRs               1.0\n");

        (string[] Args, int Code, string Message)[] cases =
        [
            ([Urea, "--kind", "molsf", "--preset", "nicotinamide"], 1, "frame 0, byte 0: preset 'nicotinamide': no atom of the frame has element = 10 (the center atom, start of v1)"),
            ([Nicotinamide, "--kind", "molsf", "--preset", "urea"], 1, "frame 0, byte 0: molecule 1 has C 1, O 2, N 1, H 2, 9 other (15 atoms), but preset 'urea' needs C 1, O 1, N 2, H 4 (8 atoms)"),
            ([noMol, "--kind", "molsf", "--preset", "urea"], 1, "the frame has no molecule ids (no 'mol' column"),
            ([noMol, "--kind", "surface", "--preset", "urea"], 1, "the frame has no molecule ids (no 'mol' column"),
            ([small, "--kind", "molsf", "--preset", "urea"], 1, "the symmetry-function cutoff r_max = 10 (urea) is larger than half the box (7.5, half the narrowest cell width)"),
            ([Urea, "--kind", "molsf"], 2, "--kind molsf needs --preset (urea, nicotinamide) or --params FILE"),
            ([Urea, "--kind", "molsf", "--preset", "water"], 2, "--preset: unknown preset 'water' (known: urea, nicotinamide)"),
            ([Urea, "--kind", "molsf", "--preset", "urea", "--params", badParams], 2, "give --preset or --params, not both"),
            ([Urea, "--kind", "molsf", "--params", _temp.File("missing.dat")], 2, "missing.dat: no such file"),
            ([Urea, "--kind", "molsf", "--params", badParams], 2, "bad.dat line 7: 'Rs' needs 2 values (number_of_para), got 1"),
            ([Urea, "--kind", "molsf", "--preset", "urea", "--cutoff", "5"], 2, "--kind molsf does not take --cutoff"),
            ([Urea, "--kind", "surface"], 2, "--kind surface without --preset or --params counts atoms and needs --radius"),
            ([Urea, "--kind", "surface", "--preset", "urea", "--radius", "-1"], 2, "--radius must be positive, got -1"),
        ];
        foreach (var (args, code, message) in cases)
        {
            var r = StreamMonitorCli.Run(["descriptors", .. args]);
            var line = Assert.Single(r.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.True(code == r.ExitCode, $"{string.Join(' ', args)}: exit {r.ExitCode}, {line}");
            Assert.StartsWith("streammonitor: ", line);
            Assert.Contains(message, line);
        }
    }

    [Fact]
    public void SurfaceIsNoneInTheCrystalAndAShellOnACluster()
    {
        var r = StreamMonitorCli.Run("descriptors", Urea, "--kind", "surface", "--preset", "urea");
        Assert.True(r.ExitCode == 0, r.StandardError);
        var rows = Rows(r.StandardOutput, "frame,mol,neighbors,surface");
        Assert.Equal(864, rows.Count);
        Assert.All(rows.Where(row => row[0] == 0), row => Assert.Equal([30.0, 0.0], row[2..]));
        var summary = r.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, summary.Length);
        Assert.StartsWith("frame 0: 432 molecules, 0 surface, 432 core (radius 8.03", summary[0]);

        // The molecules whose C is within 12 Å of the middle of the crystal, in a box far larger than them.
        var (box, atoms) = UreaFirstFrame();
        double Middle(int axis) => box[axis].Split(' ').Select(Number).Average();
        var carbon = atoms.Where(a => a[3] == "1").ToDictionary(a => a[1],
            a => Math.Sqrt(Enumerable.Range(0, 3).Sum(k => Math.Pow(Number(a[4 + k]) - Middle(k), 2))));
        var cluster = WriteDump("cluster.dump", ["-100 130", "-100 130", "-100 130"], "id mol element sym_type x y z",
            atoms.Where(a => carbon[a[1]] < 12).Select(a => string.Join(' ', a)));
        r = StreamMonitorCli.Run("descriptors", cluster, "--kind", "surface", "--preset", "urea");
        Assert.True(r.ExitCode == 0, r.StandardError);
        rows = Rows(r.StandardOutput, "frame,mol,neighbors,surface");
        int count = carbon.Count(c => c.Value < 12);
        Assert.Equal(count, rows.Count);
        var surface = rows.Where(row => row[3] == 1).Select(row => carbon[((int)row[1]).ToString(CultureInfo.InvariantCulture)]).ToList();
        var core = rows.Where(row => row[3] == 0).Select(row => carbon[((int)row[1]).ToString(CultureInfo.InvariantCulture)]).ToList();
        Assert.NotEmpty(surface);
        Assert.NotEmpty(core);
        // Deep inside is core, the outer shell surface (in between the crystal's anisotropy decides).
        Assert.All(core, d => Assert.True(d < 9.5));
        Assert.All(surface, d => Assert.True(d > 5));
        Assert.True(surface.Average() > core.Average() + 3);
        Assert.Equal($"frame 0: {count} molecules, {surface.Count} surface, {core.Count} core (radius 8.034, surface below 20 neighbours)",
            r.StandardError.Trim());

        // Atoms, with an explicit radius and threshold.
        r = StreamMonitorCli.Run("descriptors", cluster, "--kind", "surface", "--radius", "4", "--min-neighbors", "25");
        Assert.True(r.ExitCode == 0, r.StandardError);
        Assert.Equal(8 * count, Rows(r.StandardOutput, "frame,id,neighbors,surface").Count);
        Assert.Contains($"frame 0: {8 * count} atoms,", r.StandardError);
    }
}
