using System.Text.Json;
using StreamMonitor.Core;
using StreamMonitor.Ingest.Tests.Fixtures;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Ingest.Tests;

[Collection(LammpsCollection.Name)]
[Trait("Category", "Slow")]
public sealed class LammpsDumpReaderTests(LammpsTrajectories lammps) : TextReaderContractTests
{
    protected override string ReferenceFile => lammps.Quench;

    protected override TrajectoryFormat Format => TrajectoryFormats.Lammps;

    private const string MdAnalysisDump = """
        import sys, json, MDAnalysis as mda
        u = mda.Universe(sys.argv[1], format='LAMMPSDUMP', lammps_coordinate_convention=sys.argv[2])
        out = []
        for ts in u.trajectory:
            out.append({'step': int(ts.data.get('step', ts.frame)), 'box': ts.triclinic_dimensions.tolist(),
                        'ids': [int(i) for i in u.atoms.ids], 'pos': ts.positions.tolist()})
        print(json.dumps(out))
        """;

    [Fact]
    public void OrthogonalDumpAgreesWithMdAnalysis() => AgreesWithMdAnalysis(lammps.Quench, "auto", 1e-4);

    [Theory]
    [InlineData("x", "auto")]
    [InlineData("xs", "scaled")]
    [InlineData("xu", "unwrapped")]
    [InlineData("xsu", "scaled_unwrapped")]
    public void TriclinicDumpsAgreeWithMdAnalysisInEveryCoordinateConvention(string columns, string convention)
    {
        var file = columns switch
        {
            "x" => lammps.Triclinic,
            "xs" => lammps.TriclinicScaled,
            "xu" => lammps.TriclinicUnwrapped,
            _ => lammps.TriclinicScaledUnwrapped,
        };
        AgreesWithMdAnalysis(file, convention, 2e-4);
    }

    private static void AgreesWithMdAnalysis(string file, string convention, double tolerance)
    {
        using var doc = MdAnalysis.RunJson(MdAnalysisDump, file, convention);
        var ours = FrameAssert.ReadAll(file);
        var theirs = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(theirs.Count, ours.Count);
        for (int f = 0; f < ours.Count; f++)
        {
            var frame = ours[f];
            var t = theirs[f];
            var box = t.GetProperty("box").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            var rows = frame.Box.ToRows();
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    Assert.True(Math.Abs(rows[i][j] - box[i][j]) < 1e-4, $"frame {f} box[{i}][{j}]: ours {rows[i][j]}, MDAnalysis {box[i][j]}");
            // MDAnalysis sorts atoms by id; we keep file order.
            var byId = new Dictionary<int, int>();
            for (int a = 0; a < frame.Ids.Length; a++) byId[frame.Ids[a]] = a;
            var ids = t.GetProperty("ids").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var pos = t.GetProperty("pos").EnumerateArray().ToArray();
            Assert.Equal(ids.Length, frame.Ids.Length);
            for (int k = 0; k < ids.Length; k++)
            {
                int a = byId[ids[k]];
                var p = pos[k].EnumerateArray().Select(v => v.GetDouble()).ToArray();
                Assert.True(Math.Abs(frame.X[a] - p[0]) < tolerance && Math.Abs(frame.Y[a] - p[1]) < tolerance && Math.Abs(frame.Z[a] - p[2]) < tolerance,
                    $"frame {f} atom {ids[k]}: ours ({frame.X[a]}, {frame.Y[a]}, {frame.Z[a]}), MDAnalysis ({p[0]}, {p[1]}, {p[2]})");
            }
        }
    }

    [Fact]
    public void TriclinicBoxFollowsTheLammpsDefinition()
    {
        using var reader = TrajectoryReader.Open(lammps.Triclinic);
        using var frame = reader.Read()!;
        var box = frame.Box;
        Assert.False(box.IsOrthogonal);
        // Restricted triclinic: a along x, b in the xy plane; the tilts are those of the input (in lattice units of 0.9 density fcc).
        double lattice = Math.Cbrt(4 / 0.9);
        Assert.Equal(0.0, box.A.Y);
        Assert.Equal(0.0, box.A.Z);
        Assert.Equal(0.0, box.B.Z);
        Assert.Equal(5 * lattice, box.A.X, 6);
        Assert.Equal(1.3 * lattice, box.B.X, 6);
        Assert.Equal(-0.7 * lattice, box.C.X, 6);
        Assert.Equal(0.9 * lattice, box.C.Y, 6);
        Assert.Equal(4 * lattice, box.C.Z, 6);
        Assert.Equal(Vector3d.Zero, box.Origin);
    }

    [Fact]
    public void GeneralTriclinicBoxesGiveTheirLatticeVectorsAndOrigin()
    {
        // The "abc origin" layout of LAMMPS 2024+ (general triclinic): each line is a lattice vector and one origin component.
        using var temp = new TempDirectory();
        var path = temp.File("general.lammpstrj");
        File.WriteAllText(path, """
            ITEM: TIMESTEP
            7
            ITEM: NUMBER OF ATOMS
            2
            ITEM: BOX BOUNDS abc origin pp pp pp
            4.0 0.5 0.0 -1.0
            1.0 5.0 0.2 2.0
            0.3 -0.4 6.0 0.5
            ITEM: ATOMS id type xs ys zs
            1 1 0 0 0
            2 1 0.5 0.5 0.5

            """);
        using var reader = TrajectoryReader.Open(path);
        using var frame = reader.Read()!;
        Assert.Equal(new SimulationBox(new(4.0, 0.5, 0.0), new(1.0, 5.0, 0.2), new(0.3, -0.4, 6.0), new(-1.0, 2.0, 0.5)), frame.Box);
        Assert.Equal(7, frame.Step);
        Assert.Equal([-1f, 2f, 0.5f], new[] { frame.X[0], frame.Y[0], frame.Z[0] });
        Assert.Equal(-1 + 0.5 * (4.0 + 1.0 + 0.3), frame.X[1], 5);
        Assert.Equal(2 + 0.5 * (0.5 + 5.0 - 0.4), frame.Y[1], 5);
        Assert.Equal(0.5 + 0.5 * (0.0 + 0.2 + 6.0), frame.Z[1], 5);
    }

    [Fact]
    public void EveryCoordinateConventionGivesTheSameCartesianPositions()
    {
        var wrapped = FrameAssert.ReadAll(lammps.Triclinic);
        var scaled = FrameAssert.ReadAll(lammps.TriclinicScaled);
        var unwrapped = FrameAssert.ReadAll(lammps.TriclinicUnwrapped);
        var scaledUnwrapped = FrameAssert.ReadAll(lammps.TriclinicScaledUnwrapped);
        using var imageReader = TrajectoryReader.Open(lammps.TriclinicScaled);
        int moved = 0;
        for (int f = 0; f < wrapped.Count; f++)
        {
            using var withImages = imageReader.Read()!;
            Assert.True(withImages.HasImages);
            var w = ById(wrapped[f]);
            var s = ById(scaled[f]);
            var u = ById(unwrapped[f]);
            var su = ById(scaledUnwrapped[f]);
            var box = wrapped[f].Box;
            var images = withImages.Images;
            for (int a = 0; a < withImages.AtomCount; a++)
            {
                int id = withImages.Ids[a];
                var (ix, iy, iz) = (images[3 * a], images[3 * a + 1], images[3 * a + 2]);
                if (ix != 0 || iy != 0 || iz != 0) moved++;
                var shift = ix * box.A + iy * box.B + iz * box.C;
                var expectedUnwrapped = w[id] + shift;
                Close(w[id], s[id], 1e-4, $"frame {f} atom {id} scaled");
                Close(expectedUnwrapped, u[id], 1e-4, $"frame {f} atom {id} unwrapped");
                Close(expectedUnwrapped, su[id], 1e-4, $"frame {f} atom {id} scaled unwrapped");
            }
        }
        Assert.True(moved > 0, "the hot run should move some atoms across the boundary");
    }

    [Fact]
    public void ColumnsInAnyOrderAreMappedByName()
    {
        using var reader = TrajectoryReader.Open(lammps.Triclinic);
        using var other = TrajectoryReader.Open(lammps.TriclinicScaled);
        foreach (var frame in reader.ReadAll())
        {
            using var _ = frame;
            using var reference = other.Read()!;
            Assert.True(frame.HasMolecules);
            Assert.True(frame.HasImages);
            var refTypes = new Dictionary<int, int>();
            var refImages = new Dictionary<int, (int, int, int)>();
            for (int a = 0; a < reference.AtomCount; a++)
            {
                refTypes[reference.Ids[a]] = reference.Types[a];
                refImages[reference.Ids[a]] = (reference.Images[3 * a], reference.Images[3 * a + 1], reference.Images[3 * a + 2]);
            }
            var element = frame.Column("element")!;
            Assert.Equal(["Ar", "Kr"], element.Labels!.Order());
            var pe = frame.Column("c_pe")!;
            var cn = frame.Column("v_cn")!;
            for (int a = 0; a < frame.AtomCount; a++)
            {
                int id = frame.Ids[a];
                int type = frame.Types[a];
                Assert.Equal(refTypes[id], type);
                Assert.Equal(type == 1 ? 7 : 3, frame.Molecules[a]);
                Assert.Equal(type == 1 ? "Ar" : "Kr", element.Labels![(int)element.Values[a]]);
                Assert.Equal(refImages[id], (frame.Images[3 * a], frame.Images[3 * a + 1], frame.Images[3 * a + 2]));
                // v_cn = 2 c_pe + 0.001 id, both printed with 6 significant digits.
                Assert.Equal(2 * pe.Values[a] + 0.001 * id, cn.Values[a], 3e-4);
            }
        }
    }

    [Fact]
    public void AtomsNeedNotBeSortedById()
    {
        var frames = FrameAssert.ReadAll(lammps.Triclinic);
        Assert.Contains(frames, f => !f.Ids.SequenceEqual(f.Ids.Order()));
        Assert.All(frames, f => Assert.Equal(Enumerable.Range(1, f.Ids.Length), f.Ids.Order()));
    }

    [Fact]
    public void AtomCountMayChangeBetweenFrames()
    {
        using var temp = new TempDirectory();
        Lammps.RunInput(temp.Path, Lammps.LjSystem("block 0 4 0 4 0 4", temperature: 3.0) + """
            dump d all custom 20 thresh.lammpstrj id type x y z
            dump_modify d thresh x < 3.36
            run 200
            """);
        var frames = FrameAssert.ReadAll(Path.Combine(temp.Path, "thresh.lammpstrj"));
        Assert.Equal(11, frames.Count);
        Assert.True(frames.Select(f => f.Ids.Length).Distinct().Count() > 1, "atom counts should vary");
        Assert.All(frames, f => Assert.All(f.X, x => Assert.True(x < 3.36f)));
    }

    [Fact]
    public void DumpAtomStyleIsRead()
    {
        using var temp = new TempDirectory();
        Lammps.RunInput(temp.Path, Lammps.LjSystem("block 0 3 0 3 0 3", temperature: 1.0) + """
            dump a all atom 10 atom.lammpstrj
            dump c all custom 10 custom.lammpstrj id type x y z
            run 50
            """);
        var atom = FrameAssert.ReadAll(Path.Combine(temp.Path, "atom.lammpstrj"));
        var custom = FrameAssert.ReadAll(Path.Combine(temp.Path, "custom.lammpstrj"));
        Assert.Equal(6, atom.Count);
        for (int f = 0; f < atom.Count; f++)
        {
            var a = ById(atom[f]);
            var c = ById(custom[f]);
            foreach (var (id, r) in c) Close(r, a[id], 2e-5 * atom[f].Box.A.X, $"frame {f} atom {id}");
        }
    }

    private static Dictionary<int, Vector3d> ById(FrameAssert.Snapshot s)
    {
        var d = new Dictionary<int, Vector3d>(s.Ids.Length);
        for (int a = 0; a < s.Ids.Length; a++) d[s.Ids[a]] = new Vector3d(s.X[a], s.Y[a], s.Z[a]);
        return d;
    }

    private static void Close(Vector3d expected, Vector3d actual, double tolerance, string what) =>
        Assert.True((expected - actual).Length < tolerance, $"{what}: expected {expected}, got {actual}");
}
