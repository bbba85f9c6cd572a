using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>
/// <c>classify --roles</c> on a urea dump that names atoms by type only (written by an unmodified LAMMPS): the same CSV as
/// the sym_type dump of the same frames; a mapping that does not fit is one error naming the file, frame and option.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ClassifyAtomRolesTests(UreaStandardDumps dumps) : IClassFixture<UreaStandardDumps>
{
    [Fact]
    public void ATypesOnlyDumpWithRolesClassifiesLikeSymType()
    {
        var reference = StreamMonitorCli.Run("classify", dumps.Reference, "--model", "urea-2024");
        var mapped = StreamMonitorCli.Run("classify", dumps.TypesOnly, "--model", "urea-2024", "--roles", "C=3,O=2,N=4");

        Assert.Equal(0, mapped.ExitCode);
        Assert.Equal(reference.StandardOutput, mapped.StandardOutput);
        Assert.Equal(UreaStandardDumps.Frames * 432 + 1, mapped.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("frame 0 step 0: I 4", mapped.StandardError);
    }

    [Fact]
    public void AMappingThatDoesNotFitNamesTheFileFrameAndOption()
    {
        var r = StreamMonitorCli.Run("classify", dumps.TypesOnly, "--model", "urea-2024", "--roles", "C=3,O=2,N=1");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains($"{dumps.TypesOnly}: frame 0: molecule 1 has C 1, O 1, N 4, 2 other (H) (8 atoms), but preset 'urea' needs C 1, O 1, N 2, 4 other (H) (8 atoms)", r.StandardError);
        Assert.DoesNotContain("   at ", r.StandardError);

        var columnAlone = StreamMonitorCli.Run("classify", dumps.TypesOnly, "--model", "urea-2024", "--roles-column", "type");
        Assert.NotEqual(0, columnAlone.ExitCode);
        Assert.Contains("--roles-column needs --roles", columnAlone.StandardError);
    }
}
