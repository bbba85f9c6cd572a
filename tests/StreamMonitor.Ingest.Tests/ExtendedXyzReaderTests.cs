using StreamMonitor.Ingest.Tests.Fixtures;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Ingest.Tests;

[Collection(XyzCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ExtendedXyzReaderTests(XyzTrajectories xyz) : TextReaderContractTests
{
    protected override string ReferenceFile => xyz.Extended;

    protected override TrajectoryFormat Format => TrajectoryFormats.Xyz;

    [Fact]
    public void ExtendedXyzFromAseMatchesTheLammpsDumpItWasMadeFrom()
    {
        var fromXyz = FrameAssert.ReadAll(xyz.Extended);
        var fromDump = FrameAssert.ReadAll(xyz.ExtendedSource);
        Assert.Equal(fromDump.Count, fromXyz.Count);
        for (int f = 0; f < fromDump.Count; f++)
        {
            var x = fromXyz[f];
            var d = fromDump[f];
            Assert.Equal(40L * f, x.Step);
            Assert.Equal(0.2 * f, x.Time!.Value, 12);
            var dRows = d.Box.ToRows();
            var xRows = x.Box.ToRows();
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    Assert.Equal(dRows[i][j], xRows[i][j], 9);
            // ASE sorted the atoms by id and numbered them 1..N.
            var order = Enumerable.Range(0, d.Ids.Length).OrderBy(a => d.Ids[a]).ToArray();
            for (int k = 0; k < order.Length; k++)
            {
                int a = order[k];
                Assert.Equal(k + 1, x.Ids[k]);
                Assert.Equal(d.Types[a], x.Types[k]);
                Assert.Equal(d.X[a], x.X[k], 4);
                Assert.Equal(d.Y[a], x.Y[k], 4);
                Assert.Equal(d.Z[a], x.Z[k], 4);
            }
        }
    }

    [Fact]
    public void PropertiesBecomeNamedColumnsAndSpeciesBecomeTypes()
    {
        using var reader = TrajectoryReader.Open(xyz.Extended);
        using var frame = reader.Read()!;
        Assert.Equal(["Ar", "Kr"], frame.TypeNames!.Order());
        Assert.NotNull(frame.Column("vel[1]"));
        Assert.NotNull(frame.Column("vel[3]"));
        Assert.Contains(frame.Column("vel[2]")!.Values.ToArray(), v => v != 0);
        Assert.False(frame.Box.IsOrthogonal);
    }

    [Fact]
    public void PlainXyzFromLammpsAgreesWithMdAnalysisAndTheMatchingDump()
    {
        var plain = FrameAssert.ReadAll(xyz.Plain);
        var dump = FrameAssert.ReadAll(Path.ChangeExtension(xyz.Plain, ".lammpstrj"));
        Assert.Equal(4, plain.Count);
        using var doc = MdAnalysis.RunJson("""
            import sys, json, MDAnalysis as mda
            u = mda.Universe(sys.argv[1], format='XYZ')
            print(json.dumps([ts.positions.tolist() for ts in u.trajectory]))
            """, xyz.Plain);
        var theirs = doc.RootElement.EnumerateArray().ToList();
        var names = TypeNames(xyz.Plain);
        Assert.Equal(theirs.Count, plain.Count);
        for (int f = 0; f < plain.Count; f++)
        {
            Assert.False(plain[f].Box.HasCell);
            var pos = theirs[f].EnumerateArray().ToArray();
            var dumpById = Enumerable.Range(0, dump[f].Ids.Length).ToDictionary(a => dump[f].Ids[a]);
            for (int a = 0; a < plain[f].Ids.Length; a++)
            {
                var p = pos[a].EnumerateArray().Select(v => v.GetSingle()).ToArray();
                Assert.Equal(p, new[] { plain[f].X[a], plain[f].Y[a], plain[f].Z[a] });
                // LAMMPS writes the xyz dump in the same atom order as its custom dump; elements map to types.
                int b = dumpById[dump[f].Ids[a]];
                Assert.Equal(dump[f].X[b], plain[f].X[a], 4);
                Assert.Equal(dump[f].Types[b] == 1 ? "Ar" : "Kr", names[f][plain[f].Types[a] - 1]);
            }
        }
    }

    private static List<IReadOnlyList<string>> TypeNames(string path)
    {
        using var reader = TrajectoryReader.Open(path);
        var names = new List<IReadOnlyList<string>>();
        foreach (var f in reader.ReadAll())
            using (f) names.Add(f.TypeNames!);
        return names;
    }
}
