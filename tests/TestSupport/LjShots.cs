using System.Globalization;
using System.Text.Json.Nodes;

namespace StreamMonitor.TestSupport;

/// <summary>
/// A tiny shooting campaign for tests, run by the real <c>lmp</c>: two configurations of 864 Lennard-Jones atoms (a
/// perfect fcc crystal and a liquid), and a shot input that draws velocities, runs at a chosen temperature and halts at
/// the next frame once its <c>STOP</c> file exists. Hot enough (the default 1.5), the liquid stays liquid and the
/// crystal stays crystalline, so every shot commits at its first frame: A from the liquid, B from the crystal.
/// </summary>
public static class LjShots
{
    public const string ShotInput = """
        variable config index liquid.data
        variable seed index 1
        variable steps index 2000
        variable temp index 1.5
        variable every index 100
        units lj
        atom_style atomic
        pair_style lj/cut 2.5
        read_data ${config}
        pair_coeff 1 1 1.0 1.0 2.5
        neighbor 0.3 bin
        velocity all create ${temp} ${seed} mom yes rot yes dist gaussian
        fix md all nvt temp ${temp} ${temp} 0.5
        variable stop equal is_file(STOP)
        fix halt all halt ${every} v_stop > 0 error soft
        reset_timestep 0
        dump traj all custom ${every} dump.lammpstrj id type x y z
        dump_modify traj sort id
        run ${steps}
        """;

    /// <summary>Writes <c>crystal.data</c>, <c>liquid.data</c> and <c>shoot.in</c> into <paramref name="directory"/>.</summary>
    public static void Prepare(string directory)
    {
        Lammps.RunInput(directory, """
            units lj
            atom_style atomic
            lattice fcc 0.95
            region box block 0 6 0 6 0 6
            create_box 1 box
            create_atoms 1 box
            mass 1 1.0
            pair_style lj/cut 2.5
            pair_coeff 1 1 1.0 1.0 2.5
            write_data crystal.data
            velocity all create 2.5 123
            fix md all nvt temp 2.5 2.5 0.5
            run 1000
            write_data liquid.data
            """);
        File.WriteAllText(Path.Combine(directory, "shoot.in"), ShotInput);
    }

    /// <summary>The shot's launch command as a JSON array (the engine's arguments; extra <c>-var</c> pairs appended).</summary>
    public static JsonArray LaunchArguments(string directory, double temperature = 1.5, params string[] extra)
    {
        var arguments = new JsonArray("lmp", "-in", Path.Combine(directory, "shoot.in"), "-log", "log.lammps", "-screen", "none",
            "-var", "config", "{config}", "-var", "seed", "{seed}", "-var", "steps", "{steps}",
            "-var", "temp", temperature.ToString(CultureInfo.InvariantCulture));
        foreach (var e in extra) arguments.Add(e);
        return arguments;
    }

    /// <summary>
    /// A campaign over the two configurations (ids <c>liq</c> and <c>xtal</c>), basins A: n_max &lt; 30, B: n_max &gt; 300,
    /// with its launch command written in; tests change fields before writing it.
    /// </summary>
    public static JsonObject Campaign(string directory, string id = "lj-test", int shots = 2, int maxSteps = 3000, int concurrent = 2) => new()
    {
        ["id"] = id,
        ["basins"] = JsonNode.Parse("""[ { "name": "liquid", "bounds": { "n_max": [null, 30] } }, { "name": "crystal", "bounds": { "n_max": [300, null] } } ]"""),
        ["points"] = JsonNode.Parse("""[ { "id": "liq", "config": "liquid.data", "values": { "n_max": 3, "crystalline_fraction": 0.01 } }, { "id": "xtal", "config": "crystal.data", "values": { "n_max": 864, "crystalline_fraction": 1.0 } } ]"""),
        ["shots_per_point"] = shots,
        ["launch"] = new JsonObject { ["command"] = LaunchArguments(directory) },
        ["max_steps"] = maxSteps,
        ["concurrent"] = concurrent,
        ["directory"] = "shots",
        ["end_after_idle"] = 20,
    };
}
