using System.Globalization;
using StreamMonitor.Core;
using StreamMonitor.Ingest;
using StreamMonitor.Monitoring.Campaigns;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Campaigns;

/// <summary>The configurations written from real LAMMPS frames, read back by LAMMPS itself.</summary>
[Trait("Category", "Slow")]
public sealed class LammpsConfigurationWriterTests : IDisposable
{
    private const string Orthogonal = "block 0 4 0 4 0 4";
    private const string Triclinic = "prism 0 4 0 4 0 4 1.5 0.5 -0.8";
    private const double HeavyMass = 2.5;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(LammpsConfigurationWriter.Data, Orthogonal, "id type x y z")]
    [InlineData(LammpsConfigurationWriter.Data, Triclinic, "id type mass xu yu zu")]
    [InlineData(LammpsConfigurationWriter.Data, Triclinic, "id type x y z ix iy iz")]
    [InlineData(LammpsConfigurationWriter.Data, Orthogonal, "id x y z")]
    [InlineData(LammpsConfigurationWriter.Dump, Orthogonal, "id type x y z")]
    [InlineData(LammpsConfigurationWriter.Dump, Triclinic, "id type xu yu zu")]
    [InlineData(LammpsConfigurationWriter.Dump, Triclinic, "id type x y z ix iy iz")]
    public void LammpsReadsTheFrameBackWithItsAtomsAndBox(string format, string region, string columns)
    {
        using var frame = LiquidFrame(region, columns);
        var config = _temp.File("config" + LammpsConfigurationWriter.Extension(format));
        LammpsConfigurationWriter.Write(frame, config, format);

        // read_dump needs a box of the dump's kind (a prism for a triclinic one) and reads image flags only when asked.
        var read = format == LammpsConfigurationWriter.Data
            ? $"read_data {config}"
            : $"""
               region box {(frame.Box.IsOrthogonal ? "block 0 1 0 1 0 1" : "prism 0 1 0 1 0 1 0 0 0")}
               create_box 2 box
               mass 1 1.0
               mass 2 {HeavyMass}
               read_dump {config} {frame.Step} x y z {(frame.HasImages ? "ix iy iz " : "")}box yes add keep
               """;
        Lammps.RunInput(_temp.Path, $"""
            log check.log
            units lj
            atom_style atomic
            {read}
            pair_style lj/cut 2.5
            pair_coeff * * 1.0 1.0 2.5
            thermo_style custom step atoms vol
            run 0
            write_dump all custom check.lammpstrj id type mass xu yu zu modify sort id format float %.10g
            """);

        // The log: every atom, in a box of the frame's volume.
        var (atoms, volume) = Thermo(File.ReadAllLines(_temp.File("check.log")));
        Assert.Equal(frame.AtomCount, atoms);
        Assert.Equal(frame.Box.Volume, volume, 1e-4 * frame.Box.Volume);

        using var reader = TrajectoryReader.Open(_temp.File("check.lammpstrj"));
        using var back = reader.Read()!;
        AssertSameCell(frame.Box, back.Box);
        bool typed = columns.Contains("type");
        bool massed = columns.Contains("mass") || format == LammpsConfigurationWriter.Dump;
        var unwrapped = Unwrapped(frame);
        var mass = back.Column("mass")!.Values;
        for (int a = 0; a < frame.AtomCount; a++)
        {
            Assert.Equal(frame.Ids[a], back.Ids[a]);
            int type = typed ? frame.Types[a] : 1;
            Assert.Equal(type, back.Types[a]);
            Assert.Equal(massed && type == 2 ? HeavyMass : 1.0, mass[a]);
            // LAMMPS wraps the atoms into its box and keeps where they really are in its image flags.
            Assert.Equal(unwrapped[a].X, back.X[a], 1e-4);
            Assert.Equal(unwrapped[a].Y, back.Y[a], 1e-4);
            Assert.Equal(unwrapped[a].Z, back.Z[a], 1e-4);
        }
    }

    [Fact]
    public void TheDumpFormatKeepsTheFramesStepForReadDump()
    {
        using var frame = LiquidFrame(Orthogonal, "id type x y z");
        var config = _temp.File("config.lammpstrj");
        LammpsConfigurationWriter.Write(frame, config, LammpsConfigurationWriter.Dump);
        using var reader = TrajectoryReader.Open(config);
        using var back = reader.Read()!;
        Assert.Equal(300, back.Step);
        Assert.Null(reader.Read());
    }

    [Fact]
    public void AFrameWithoutACellIsRefusedAndLeavesNoFile()
    {
        using var frame = new Frame(2);
        var config = _temp.File("none.data");
        var error = Assert.Throws<ArgumentException>(() => LammpsConfigurationWriter.Write(frame, config, LammpsConfigurationWriter.Data));
        Assert.Contains("no periodic cell", error.Message);
        Assert.False(File.Exists(config));
        Assert.Contains("unknown configuration format 'pdb'",
            Assert.Throws<ArgumentException>(() => LammpsConfigurationWriter.Write(frame, config, "pdb")).Message);
    }

    /// <summary>
    /// The frame LAMMPS writes after 300 steps of a hot two-type Lennard-Jones liquid in <paramref name="region"/>, dumped
    /// with <paramref name="columns"/>: atoms have moved across the periodic boundaries.
    /// </summary>
    private Frame LiquidFrame(string region, string columns)
    {
        var dump = _temp.File("liquid.lammpstrj");
        Lammps.RunInput(_temp.Path, Lammps.LjSystem(region, types: 2, temperature: 3.0) + $"""
            set type 1 type/fraction 2 0.3 4711
            mass 2 {HeavyMass}
            dump d all custom 300 {dump} {columns}
            dump_modify d sort id
            run 300
            """);
        using var reader = TrajectoryReader.Open(dump);
        reader.Read()!.Dispose();
        return reader.Read()!;
    }

    private static (int Atoms, double Volume) Thermo(string[] log)
    {
        int header = Array.FindLastIndex(log, l => l.TrimStart().StartsWith("Step ", StringComparison.Ordinal));
        Assert.True(header >= 0, "no thermo output in the log:\n" + string.Join('\n', log));
        var values = log[header + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (int.Parse(values[1], CultureInfo.InvariantCulture), double.Parse(values[2], CultureInfo.InvariantCulture));
    }

    private static void AssertSameCell(SimulationBox expected, SimulationBox actual)
    {
        foreach (var (e, a) in new[] { (expected.A, actual.A), (expected.B, actual.B), (expected.C, actual.C), (expected.Origin, actual.Origin) })
        {
            Assert.Equal(e.X, a.X, 1e-6);
            Assert.Equal(e.Y, a.Y, 1e-6);
            Assert.Equal(e.Z, a.Z, 1e-6);
        }
    }

    /// <summary>Where each atom of the frame really is: its position plus its image flags' cell vectors.</summary>
    private static Vector3d[] Unwrapped(Frame frame)
    {
        var box = frame.Box;
        var images = frame.Images;
        var positions = new Vector3d[frame.AtomCount];
        for (int a = 0; a < positions.Length; a++)
        {
            positions[a] = new Vector3d(frame.X[a], frame.Y[a], frame.Z[a]);
            if (frame.HasImages) positions[a] += images[3 * a] * box.A + images[3 * a + 1] * box.B + images[3 * a + 2] * box.C;
        }
        return positions;
    }
}
