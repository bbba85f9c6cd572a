using StreamMonitor.TestSupport;

namespace StreamMonitor.Ingest.Tests.Fixtures;

/// <summary>
/// Real LAMMPS dumps made once per test run: the shipped Lennard-Jones quench (orthogonal box, <c>id type x y z</c>)
/// and a triclinic run that writes scaled, unwrapped and image-flag columns, per-atom compute/variable columns,
/// molecule ids and elements, in a shuffled column order and unsorted.
/// </summary>
public sealed class LammpsTrajectories : IDisposable
{
    private readonly TempDirectory _dir = new("streammonitor-lammps-");
    private readonly Lazy<string> _quench;
    private readonly Lazy<string> _triclinic;

    public LammpsTrajectories()
    {
        _quench = new(() => Lammps.RunQuench(_dir.Path, "quench.lammpstrj", cells: 5, runSteps: 2000, dumpEvery: 100));
        _triclinic = new(MakeTriclinic);
    }

    /// <summary>500 atoms, 21 frames, orthogonal box.</summary>
    public string Quench => _quench.Value;

    /// <summary>Triclinic box (xy, xz, yz tilts), columns in an odd order, atoms unsorted, several column kinds.</summary>
    public string Triclinic => _triclinic.Value;

    /// <summary>Same frames as <see cref="Triclinic"/>, one dump per coordinate convention.</summary>
    public string TriclinicScaled => Path.Combine(_dir.Path, Path.GetFileName(Triclinic).Replace(".lammpstrj", "-scaled.lammpstrj"));
    public string TriclinicUnwrapped => Path.Combine(_dir.Path, Path.GetFileName(Triclinic).Replace(".lammpstrj", "-unwrapped.lammpstrj"));
    public string TriclinicScaledUnwrapped => Path.Combine(_dir.Path, Path.GetFileName(Triclinic).Replace(".lammpstrj", "-su.lammpstrj"));

    public void Dispose() => _dir.Dispose();

    private string MakeTriclinic()
    {
        // A sheared LJ crystal in atom_style full (so it has molecule ids), two types with elements,
        // per-atom columns from a compute and a variable, and image flags that change as atoms cross.
        Lammps.RunInput(_dir.Path, Lammps.LjSystem("prism 0 5 0 4 0 4 1.3 -0.7 0.9", density: 0.9, types: 2, temperature: 3.0, seed: 8812, atomStyle: "full") + """
            atom_modify sort 10 0.5
            set type 1 type/fraction 2 0.3 8271
            set group all mol 7
            set type 2 mol 3
            compute pe all pe/atom
            variable cn atom c_pe*2.0+id*0.001
            dump d1 all custom 50 tri.lammpstrj v_cn z type element ix id y c_pe iy mol x iz
            dump_modify d1 element Ar Kr
            dump d2 all custom 50 tri-scaled.lammpstrj id type xs ys zs ix iy iz
            dump d3 all custom 50 tri-unwrapped.lammpstrj id type xu yu zu
            dump d4 all custom 50 tri-su.lammpstrj id type xsu ysu zsu
            run 400
            """);
        return Path.Combine(_dir.Path, "tri.lammpstrj");
    }
}

[CollectionDefinition(Name)]
public sealed class LammpsCollection : ICollectionFixture<LammpsTrajectories>
{
    public const string Name = "lammps trajectories";
}
