using System.Globalization;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Pipeline;

/// <summary>
/// Small Lennard-Jones systems that LAMMPS runs for the surface/core and interface tests, each in about a second or
/// two: a crystal cluster in vacuum melting from its surface, and a crystal slab in its melt along z.
/// </summary>
internal static class LennardJonesScenes
{
    /// <summary>fcc lattice constant at the scenes' density 0.95 (σ).</summary>
    public static readonly double Lattice = Math.Cbrt(4 / 0.95);

    /// <summary>
    /// A 683-atom fcc ball (radius 3.5 lattice constants, 5.7 σ) in a vacuum box 19 σ across, equilibrated at T = 0.3,
    /// then held at T = 0.5 for 6000 steps, a frame every 500 (13 frames; frame 0 is still the cold crystal). At 0.5 its
    /// surface melts within a few frames while much of the core stays crystalline to the end.
    /// </summary>
    public static string MeltingCluster(string directory)
    {
        Lammps.RunInput(directory, """
            units lj
            atom_style atomic
            lattice fcc 0.95
            region box block -6 6 -6 6 -6 6
            create_box 1 box
            region ball sphere 0 0 0 3.5
            create_atoms 1 region ball
            mass 1 1.0
            pair_style lj/cut 2.5
            pair_coeff 1 1 1.0 1.0 2.5
            velocity all create 0.3 1234 mom yes rot yes
            fix 1 all nve
            fix 2 all langevin 0.3 0.3 0.5 1234 zero yes
            run 2000
            unfix 2
            fix 2 all langevin 0.5 0.5 0.5 1235 zero yes
            dump d all custom 500 cluster.lammpstrj id type x y z
            dump_modify d sort id
            run 6000
            """);
        return Path.Combine(directory, "cluster.lammpstrj");
    }

    /// <summary>Planes of the seed slab along z, in lattice constants: atoms at 5.0, 5.5, …, 7.0.</summary>
    public const double SeedBottom = 5.0, SeedTop = 7.0;

    /// <summary>
    /// A 4 × 4 × 12-cell box (768 atoms, 19.4 σ along z) melted at T = 2 except for a five-plane fcc slab in the middle
    /// (<see cref="SeedBottom"/> to <see cref="SeedTop"/>), which is not integrated and stays perfect; then the whole
    /// box at <paramref name="temperature"/>: the slab grows below the melting point and melts above it. Frame 0 is the
    /// moment the temperature is set; a frame every <paramref name="dumpEvery"/> of <paramref name="steps"/> steps
    /// (LAMMPS' LJ timestep 0.005 τ).
    /// </summary>
    public static string SeededSlab(string directory, double temperature, int steps, int dumpEvery)
    {
        Lammps.RunInput(directory, Lammps.LjSystem("block 0 4 0 4 0 12", density: 0.95, temperature: 2.0) + string.Create(CultureInfo.InvariantCulture, $"""
            region seed block INF INF INF INF {SeedBottom - 0.1} {SeedTop + 0.1}
            group seed region seed
            group liquid subtract all seed
            unfix 1
            fix 1 liquid nve
            fix 2 liquid langevin 2.0 2.0 0.5 4711 zero yes
            run 1000
            unfix 1
            unfix 2
            velocity seed create {temperature} 4712 mom yes rot yes
            fix 1 all nve
            fix 2 all langevin {temperature} {temperature} 0.5 4713 zero yes
            reset_timestep 0
            dump d all custom {dumpEvery} slab.lammpstrj id type x y z
            dump_modify d sort id
            run {steps}
            """));
        return Path.Combine(directory, "slab.lammpstrj");
    }
}
