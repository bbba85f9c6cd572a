using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Models;
using StreamMonitor.Core;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Pipeline;

/// <summary>
/// The urea preset on dumps written by an unmodified LAMMPS (no <c>sym_type</c>): roles from element names, atomic
/// numbers, masses or <c>--roles</c> give exactly the features and classes that <c>sym_type</c> gives on the same
/// frames, and every way a mapping or a molecule can be wrong is one named error.
/// </summary>
[Trait("Category", "Slow")]
public sealed class UreaAtomRolesTests(UreaStandardDumps dumps) : IClassFixture<UreaStandardDumps>
{
    private static readonly MolecularFeatureSpec Urea = new("urea");

    public static TheoryData<string, string?> StandardDumps => new()
    {
        { nameof(UreaStandardDumps.ElementNames), null },
        { nameof(UreaStandardDumps.AtomicNumbers), null },
        { nameof(UreaStandardDumps.Masses), null },
        { nameof(UreaStandardDumps.TypesOnly), "C=3,O=2,N=4" },
        { nameof(UreaStandardDumps.TypesAndOtherIds), "C=3,O=2,N=4 type" },
    };

    [Theory]
    [MemberData(nameof(StandardDumps))]
    public void AStandardDumpGivesTheFeaturesAndClassesOfSymType(string dump, string? roles)
    {
        var mapping = roles?.Split(' ') is { } words ? AtomRoleMapping.Parse(words[0], words.ElementAtOrDefault(1)) : null;
        using var model = ClassifierModel.Load("urea-2024", atomRoles: mapping);
        using var reference = ClassifierModel.Load("urea-2024");
        var frames = Frames(Path(dump));
        var expected = Frames(dumps.Reference);
        Assert.Equal(UreaStandardDumps.Frames, frames.Count);
        for (int f = 0; f < frames.Count; f++)
        {
            var (rows, classes) = model.Classify(frames[f]);
            var (referenceRows, referenceClasses) = reference.Classify(expected[f]);
            Assert.Equal(referenceRows.Ids, rows.Ids);
            Assert.Equal(referenceRows.Values, rows.Values);
            Assert.Equal(referenceClasses.Labels, classes.Labels);
            // Form I at 200 K is form I (431-432 of 432 in every frame of the committed trajectory).
            Assert.True(classes.Counts()[model.Classes.ToList().IndexOf("I")] >= 430, $"frame {f}: {string.Join(" ", classes.Counts())}");
        }
        foreach (var frame in frames.Concat(expected)) frame.Dispose();
    }

    [Fact]
    public void N1IsTheNitrogenWithTheLowerAtomIdInEveryMoleculeOfTheReferenceTrajectories()
    {
        foreach (var path in new[] { UreaTrajectories.FormI200K, UreaTrajectories.Melt500K })
        {
            using var reader = TrajectoryReader.Open(path);
            foreach (var frame in reader.ReadAll())
            {
                using var owned = frame;
                var symType = frame.Column("sym_type")!.Values;
                var n1 = new Dictionary<int, int>();
                var n2 = new Dictionary<int, int>();
                for (int a = 0; a < frame.AtomCount; a++)
                {
                    if (symType[a] == 3) n1[frame.Molecules[a]] = frame.Ids[a];
                    if (symType[a] == 4) n2[frame.Molecules[a]] = frame.Ids[a];
                }
                Assert.Equal(UreaTrajectories.Molecules, n1.Count);
                Assert.All(n1, p => Assert.True(p.Value < n2[p.Key], $"{path} frame {frame.Index} molecule {p.Key}: N1 {p.Value}, N2 {n2[p.Key]}"));
            }
        }
    }

    [Fact]
    public void ATypesOnlyDumpWithoutAMappingIsRefusedWithAHint()
    {
        var e = Assert.Throws<ArgumentException>(() => Features(dumps.TypesOnly, null));
        Assert.Equal(
            "preset 'urea' identifies atoms by 'sym_type', element names or atomic numbers in an 'element' column, or a 'mass' column; " +
            "the frame has none of them (it has: id, type, mol, x, y, z); map its atom types to elements with an atom-role mapping (--roles C=<type>,O=<type>,N=<type>)",
            e.Message);
    }

    [Theory]
    [InlineData("C=3,O=3,N=4", null, "--roles: 3 is mapped to both C and O; one value names one element")]
    [InlineData("C=3,O=2,N4", null, "--roles: 'N4' is not ELEMENT=VALUE (e.g. --roles C=3,O=2,N=4)")]
    [InlineData("C=3,O=2,Xx=4", null, "--roles: 'Xx' is not an element symbol (in Xx=4)")]
    [InlineData("C=3,O=2", null, "--roles: urea needs C, O, N mapped; N is not")]
    [InlineData("C=3,O=2,N=4,S=5", null, "--roles: S=5: urea has no S (it has C, O, N, H)")]
    [InlineData("C=3,O=2,N=7", null, "--roles C=3,O=2,N=7: does not fit the frame: no atom has type 7 (type values: 1, 2, 3, 4); it has no 'element' column")]
    [InlineData("C=3,O=2,N=4", "charge", "--roles-column charge: the frame has no such column (it has: id, type, mol, x, y, z)")]
    public void ABadMappingIsOneErrorNamingTheOption(string roles, string? column, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => Features(dumps.TypesOnly, AtomRoleMapping.Parse(roles, column)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void AMappingThatTheTypeAndElementColumnsReadDifferentlyIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Features(dumps.TypesAndOtherIds, AtomRoleMapping.Parse("C=3,O=2,N=4")));
        Assert.Equal(
            "--roles C=3,O=2,N=4 fits both the 'type' and the 'element' column, and they make different atoms C/O/N; choose one with --roles-column type or --roles-column element",
            e.Message);
    }

    [Fact]
    public void AMoleculeThatDoesNotMatchTheCompositionIsNamedWithWhatItHasAndNeeds()
    {
        // Type 1 is hydrogen: mapped as nitrogen, every molecule has four "N" and two atoms that are nothing.
        var e = Assert.Throws<ArgumentException>(() => Features(dumps.TypesOnly, AtomRoleMapping.Parse("C=3,O=2,N=1")));
        Assert.Equal(
            "molecule 1 has C 1, O 1, N 4, 2 other (H) (8 atoms), but preset 'urea' needs C 1, O 1, N 2, 4 other (H) (8 atoms) " +
            "(atoms read by --roles C=3,O=2,N=1 on the 'type' column); if that is not what the file means, give an atom-role mapping from its types to elements (--roles C=<type>,O=<type>,N=<type>)",
            e.Message);

        // The element column read as the element ids 4 3 2 1: "C" = element 3 is the oxygen, "N" = 4 the hydrogens.
        e = Assert.Throws<ArgumentException>(() => Features(dumps.TypesAndOtherIds, AtomRoleMapping.Parse("C=3,O=2,N=4", "element")));
        Assert.StartsWith("molecule 1 has C 1, O 1, N 4, 2 other (H) (8 atoms), but preset 'urea' needs C 1, O 1, N 2, 4 other (H) (8 atoms)", e.Message);
    }

    private string Path(string dump) => (string)typeof(UreaStandardDumps).GetProperty(dump)!.GetValue(dumps)!;

    private static List<Frame> Frames(string path)
    {
        using var reader = TrajectoryReader.Open(path);
        return reader.ReadAll().ToList();
    }

    /// <summary>The urea features of the first frame of <paramref name="path"/> with <paramref name="mapping"/>.</summary>
    private static FeatureRows Features(string path, AtomRoleMapping? mapping)
    {
        using var reader = TrajectoryReader.Open(path);
        using var frame = reader.ReadAll().First();
        return Urea.WithAtomRoles(mapping).CreateFeaturizer().Compute(frame);
    }
}
