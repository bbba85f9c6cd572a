using StreamMonitor.TestSupport;

namespace StreamMonitor.Ingest.Tests.Fixtures;

/// <summary>
/// XYZ files written by independent programs: LAMMPS <c>dump xyz</c> (plain XYZ) and ASE's extended XYZ writer
/// (Debian python3-ase), which converts a real LAMMPS triclinic dump.
/// </summary>
public sealed class XyzTrajectories : IDisposable
{
    private readonly TempDirectory _dir = new("streammonitor-xyz-");
    private readonly Lazy<string> _plain;
    private readonly Lazy<string> _extended;

    public XyzTrajectories()
    {
        _plain = new(MakePlain);
        _extended = new(MakeExtended);
    }

    /// <summary>Plain XYZ from LAMMPS: 4 frames, species named by element, no cell.</summary>
    public string Plain => _plain.Value;

    /// <summary>Extended XYZ from ASE: triclinic Lattice, Properties with species, pos, ids and forces-like extras.</summary>
    public string Extended => _extended.Value;

    /// <summary>The LAMMPS dump the extended XYZ was made from.</summary>
    public string ExtendedSource => Path.Combine(_dir.Path, "tri.lammpstrj");

    public void Dispose() => _dir.Dispose();

    private string MakePlain()
    {
        Lammps.RunInput(_dir.Path, Lammps.LjSystem("block 0 4 0 4 0 4", types: 2) + """
            set type 1 type/fraction 2 0.25 1234
            dump x all xyz 25 plain.xyz
            dump_modify x element Ar Kr
            dump c all custom 25 plain.lammpstrj id type x y z
            run 75
            """);
        return Path.Combine(_dir.Path, "plain.xyz");
    }

    private string MakeExtended()
    {
        Lammps.RunInput(_dir.Path, Lammps.LjSystem("prism 0 4 0 4 0 4 1.1 -0.6 0.8", density: 0.9, types: 2, temperature: 2.0, seed: 4411) + """
            set type 1 type/fraction 2 0.4 77
            dump d all custom 40 tri.lammpstrj id type x y z vx vy vz
            run 160
            """);
        var output = Path.Combine(_dir.Path, "ase.extxyz");
        ExternalProcess.Run(MdAnalysis.Python, ["-c", """
            import sys, numpy, ase.io
            frames = ase.io.read(sys.argv[1], index=':', format='lammps-dump-text')
            for i, atoms in enumerate(frames):
                atoms.info['step'] = 40 * i
                atoms.info['Time'] = 0.2 * i
                atoms.set_chemical_symbols(['Ar' if n == 1 else 'Kr' for n in atoms.get_atomic_numbers()])
                atoms.new_array('id', numpy.arange(1, len(atoms) + 1, dtype=int))
                atoms.new_array('vel', atoms.get_velocities())
            ase.io.write(sys.argv[2], frames, format='extxyz')
            """, ExtendedSource, output]);
        return output;
    }
}

[CollectionDefinition(Name)]
public sealed class XyzCollection : ICollectionFixture<XyzTrajectories>
{
    public const string Name = "xyz trajectories";
}
