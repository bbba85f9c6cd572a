using System.Diagnostics;
using System.Globalization;

namespace StreamMonitor.TestSupport;

/// <summary>Runs the shipped Lennard-Jones quench with the real <c>lmp</c>, small enough for tests.</summary>
public static class Lammps
{
    /// <summary>Arguments for lmp that run the example input in a directory, writing <paramref name="dump"/>.</summary>
    public static List<string> QuenchArguments(string dump, int cells = 5, int meltSteps = 200, int runSteps = 2000, int dumpEvery = 100,
        int seed = 4928, params string[] extraVariables)
    {
        var inv = CultureInfo.InvariantCulture;
        var args = new List<string>
        {
            "-in", RepositoryPaths.LjQuenchInput, "-log", "none", "-screen", "none",
            "-var", "cells", cells.ToString(inv), "-var", "melt_steps", meltSteps.ToString(inv),
            "-var", "run_steps", runSteps.ToString(inv), "-var", "dump_every", dumpEvery.ToString(inv),
            "-var", "seed", seed.ToString(inv), "-var", "dump", dump,
        };
        args.AddRange(extraVariables);
        return args;
    }

    /// <summary>Runs the quench to completion and returns the dump's path.</summary>
    public static string RunQuench(string directory, string dumpName = "dump.lammpstrj", int cells = 5, int runSteps = 2000, int dumpEvery = 100,
        int meltSteps = 200)
    {
        var dump = Path.Combine(directory, dumpName);
        ExternalProcess.Run("lmp", QuenchArguments(dump, cells, meltSteps, runSteps, dumpEvery), directory);
        return dump;
    }

    /// <summary>The frames a LAMMPS text dump holds so far (one <c>ITEM: TIMESTEP</c> line each).</summary>
    public static int FramesIn(string dump) => File.ReadLines(dump).Count(line => line == "ITEM: TIMESTEP");

    /// <summary>Starts the quench and returns the running lmp.</summary>
    public static Process StartQuench(string directory, string dump, int cells = 5, int runSteps = 2000, int dumpEvery = 100) =>
        ExternalProcess.Start("lmp", QuenchArguments(dump, cells, runSteps: runSteps, dumpEvery: dumpEvery), directory);

    /// <summary>Runs an arbitrary LAMMPS input text in a directory.</summary>
    public static void RunInput(string directory, string input)
    {
        var file = Path.Combine(directory, "in.test");
        File.WriteAllText(file, input);
        ExternalProcess.Run("lmp", ["-in", file, "-log", "none", "-screen", "none"], directory);
    }

    /// <summary>
    /// The start of a small Lennard-Jones input: an fcc lattice filling <paramref name="region"/> (a LAMMPS region
    /// command's arguments after the name), all pairs LJ with a 2.5 cutoff, velocities at <paramref name="temperature"/>,
    /// NVE. Tests append what they dump and run.
    /// </summary>
    public static string LjSystem(string region, double density = 0.8442, int types = 1, double temperature = 1.5, int seed = 87287,
        string atomStyle = "atomic")
    {
        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv, $"""
            units lj
            atom_style {atomStyle}
            lattice fcc {density}
            region box {region}
            create_box {types} box
            create_atoms 1 box
            mass * 1.0
            pair_style lj/cut 2.5
            pair_coeff * * 1.0 1.0 2.5
            velocity all create {temperature} {seed} mom yes rot yes
            fix 1 all nve

            """);
    }

    /// <summary>
    /// Has LAMMPS recompute per-atom quantities on the frames of an existing dump (<c>rerun</c>) with no forces:
    /// <paramref name="computesAndDumps"/> holds the compute and dump commands; the dump's own box and atoms are used.
    /// A triclinic dump needs a triclinic <paramref name="region"/> (any prism) for LAMMPS to accept its box.
    /// </summary>
    public static void Rerun(string directory, string dump, string computesAndDumps, string region = "block 0 1 0 1 0 1") => RunInput(directory, $"""
        units lj
        atom_style atomic
        region box {region}
        create_box 1 box
        mass 1 1.0
        pair_style zero 2.0
        pair_coeff * *
        {computesAndDumps}
        rerun {dump} dump x y z box yes add yes
        """);

    /// <summary>A LAMMPS dump's text, frame by frame (each from its <c>ITEM: TIMESTEP</c> line), for tests that write it out again slowly.</summary>
    public static List<string> SplitFrames(string dump)
    {
        var starts = new List<int>();
        for (int at = dump.IndexOf("ITEM: TIMESTEP", StringComparison.Ordinal); at >= 0; at = dump.IndexOf("ITEM: TIMESTEP", at + 1, StringComparison.Ordinal))
            starts.Add(at);
        return starts.Select((s, i) => dump[s..(i + 1 < starts.Count ? starts[i + 1] : dump.Length)]).ToList();
    }
}
