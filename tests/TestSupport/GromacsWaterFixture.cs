using System.Globalization;
namespace StreamMonitor.TestSupport;

/// <summary>
/// Real XTC files written by GROMACS (<c>gmx</c>), made once per test run: SPC/E water in a rhombic-dodecahedron box
/// (so the box rows are not diagonal), about 1900 atoms, 200 MD steps with <c>nstxout-compressed 20</c> (11 frames) at the default
/// precision 1000, and from the same run's full-precision <c>.trr</c>, copies written by <c>gmx trjconv</c> that
/// exercise every decoding path: 3 waters (9 atoms, stored uncompressed), precision 10^6 (packed triples of 65+ bits),
/// precision 10^7 (coordinates too wide to pack, small integers wider than 64 bits), and a 1.2 nm region at 10^6
/// (packed triples of 58–64 bits).
/// </summary>
public sealed class GromacsWaterFixture : IDisposable
{
    private readonly TempDirectory _dir = new("streammonitor-gromacs-");
    private readonly Lazy<string> _input;
    private readonly Lazy<string> _run;
    private readonly Dictionary<string, Lazy<string>> _files;

    public GromacsWaterFixture()
    {
        _input = new(PrepareWater);
        _run = new(RunWater);
        _files = new()
        {
            [Water] = new(() => { _ = _run.Value; return File(Water); }),
            [ThreeWaters] = new(() => Convert(ThreeWaters, Water, "resnr 1 to 3", ndec: null)),
            [Precision6] = new(() => Convert(Precision6, "traj.trr", selection: null, ndec: 6)),
            [Precision7] = new(() => Convert(Precision7, "traj.trr", selection: null, ndec: 7)),
            [Region6] = new(() => Convert(Region6, "traj.trr",
                "same residue as (x > 0.4 and x < 1.4 and y > 0.4 and y < 1.4 and z > 0.4 and z < 1.4)", ndec: 6)),
        };
    }

    /// <summary>About 1900 atoms (some 630 SPC/E waters), 11 frames, precision 1000, dodecahedron box.</summary>
    public const string Water = "water.xtc";

    /// <summary>The first 3 waters of <see cref="Water"/>: 9 atoms, so coordinates are plain floats.</summary>
    public const string ThreeWaters = "three-waters.xtc";

    /// <summary>All atoms at precision 10^6: packed large triples of 65–72 bits.</summary>
    public const string Precision6 = "precision6.xtc";

    /// <summary>All atoms at precision 10^7: coordinate ranges above 2^24 (each coordinate on its own bits).</summary>
    public const string Precision7 = "precision7.xtc";

    /// <summary>Waters of a 1 nm cube at precision 10^6: packed large triples of 58–64 bits.</summary>
    public const string Region6 = "region6.xtc";

    public static IEnumerable<string> All => [Water, ThreeWaters, Precision6, Precision7, Region6];

    /// <summary>The path of one of the files above, made on first use.</summary>
    public string Get(string name) => _files[name].Value;

    /// <summary>
    /// The <see cref="Water"/> run's input, copied into <paramref name="directory"/> by <c>gmx convert-tpr</c> with its
    /// length set to <paramref name="steps"/> MD steps: the same system (XTC every 20 steps), for tests that run mdrun themselves.
    /// </summary>
    public string RunInput(string directory, long steps)
    {
        var tpr = Path.Combine(directory, "topol.tpr");
        Gromacs.Run(directory, null, "convert-tpr", "-s", _input.Value, "-nsteps", steps.ToString(CultureInfo.InvariantCulture), "-o", tpr);
        return tpr;
    }

    public void Dispose() => _dir.Dispose();

    private string File(string name) => _dir.File(name);

    private string PrepareWater()
    {
        var dir = _dir.Path;
        // One water in a 3 nm rhombic dodecahedron, filled with equilibrated SPC water by solvate.
        System.IO.File.WriteAllText(File("one.gro"), """
            one water
                3
                1SOL     OW    1   1.000   1.000   1.000
                1SOL    HW1    2   1.100   1.000   1.000
                1SOL    HW2    3   0.967   1.094   1.000
               2.00000   2.00000   2.00000

            """);
        Gromacs.Run(dir, null, "editconf", "-f", "one.gro", "-o", "box.gro", "-bt", "dodecahedron", "-box", "3");
        Gromacs.Run(dir, null, "solvate", "-cp", "box.gro", "-cs", "spc216.gro", "-o", "conf.gro");
        int waters = System.IO.File.ReadLines(File("conf.gro")).Count(l => l.Length > 15 && l.Substring(10, 5).Trim() == "OW");
        System.IO.File.WriteAllText(File("topol.top"), $"""
            #include "oplsaa.ff/forcefield.itp"
            #include "oplsaa.ff/spce.itp"

            [ system ]
            water

            [ molecules ]
            SOL {waters.ToString(CultureInfo.InvariantCulture)}

            """);
        System.IO.File.WriteAllText(File("md.mdp"), """
            integrator             = md
            nsteps                 = 200
            dt                     = 0.002
            nstxout                = 20
            nstxout-compressed     = 20
            compressed-x-precision = 1000
            nstlog                 = 0
            nstenergy              = 0
            nstcalcenergy          = 100
            cutoff-scheme          = Verlet
            coulombtype            = reaction-field
            rcoulomb               = 0.9
            rvdw                   = 0.9
            tcoupl                 = v-rescale
            tc-grps                = System
            tau-t                  = 0.1
            ref-t                  = 300
            constraints            = h-bonds
            gen-vel                = yes
            gen-temp               = 300
            gen-seed               = 1993

            """);
        Gromacs.Run(dir, null, "grompp", "-f", "md.mdp", "-c", "conf.gro", "-p", "topol.top", "-o", "topol.tpr");
        return File("topol.tpr");
    }

    private string RunWater()
    {
        _ = _input.Value;
        var dir = _dir.Path;
        Gromacs.Run(dir, null, "mdrun", "-nt", "1", "-s", "topol.tpr", "-x", Water, "-o", "traj.trr", "-c", "out.gro", "-e", "ener.edr", "-g", "md.log");
        return File(Water);
    }

    /// <summary>Rewrites the run's trajectory with <c>gmx trjconv</c>: a selection (made by <c>gmx select</c>) and/or a precision.</summary>
    private string Convert(string name, string source, string? selection, int? ndec)
    {
        _ = _run.Value;
        var dir = _dir.Path;
        var args = new List<string> { "trjconv", "-f", source, "-s", "topol.tpr", "-o", name };
        if (selection is not null)
        {
            var index = Path.ChangeExtension(name, ".ndx");
            Gromacs.Run(dir, null, "select", "-s", "topol.tpr", "-select", selection, "-on", index);
            args.AddRange(["-n", index]);
        }
        if (ndec is { } n) args.AddRange(["-ndec", n.ToString(CultureInfo.InvariantCulture)]);
        // trjconv asks for the output group: the first one (the selection, or System).
        Gromacs.Run(dir, "0\n", [.. args]);
        return File(name);
    }
}
