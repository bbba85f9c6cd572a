using System.Globalization;

namespace StreamMonitor.TestSupport;

/// <summary>
/// The run input (<c>.tpr</c>) of the water system behind <see cref="XtcFixtures"/>, made with <c>gmx grompp</c> from the
/// inputs committed beside the fixtures, for tests that run <c>mdrun</c> themselves (see <see cref="MdrunFactAttribute"/>).
/// </summary>
public static class GromacsWaterInput
{
    /// <summary>
    /// Writes <c>topol.tpr</c> into <paramref name="directory"/>: the fixtures' system (XTC every 20 steps) with its length
    /// set to <paramref name="steps"/> MD steps by <c>gmx convert-tpr</c>. Returns its path.
    /// </summary>
    public static string Prepare(string directory, long steps)
    {
        // As make-fixtures.sh: one water in a 3 nm rhombic dodecahedron, filled with equilibrated SPC water by solvate.
        Gromacs.Run(directory, null, "editconf", "-f", Path.Combine(XtcFixtures.Directory, "one-water.gro"), "-o", "box.gro",
            "-bt", "dodecahedron", "-box", "3");
        Gromacs.Run(directory, null, "solvate", "-cp", "box.gro", "-cs", "spc216.gro", "-o", "conf.gro");
        int waters = File.ReadLines(Path.Combine(directory, "conf.gro")).Count(l => l.Length > 15 && l.Substring(10, 5).Trim() == "OW");
        File.WriteAllText(Path.Combine(directory, "topol.top"), $"""
            #include "oplsaa.ff/forcefield.itp"
            #include "oplsaa.ff/spce.itp"

            [ system ]
            water

            [ molecules ]
            SOL {waters.ToString(CultureInfo.InvariantCulture)}

            """);
        Gromacs.Run(directory, null, "grompp", "-f", Path.Combine(XtcFixtures.Directory, "water.mdp"), "-c", "conf.gro", "-p", "topol.top",
            "-o", "water.tpr");
        var tpr = Path.Combine(directory, "topol.tpr");
        Gromacs.Run(directory, null, "convert-tpr", "-s", "water.tpr", "-nsteps", steps.ToString(CultureInfo.InvariantCulture), "-o", tpr);
        return tpr;
    }
}
