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
    public static string RunQuench(string directory, string dumpName = "dump.lammpstrj", int cells = 5, int runSteps = 2000, int dumpEvery = 100)
    {
        var dump = Path.Combine(directory, dumpName);
        ExternalProcess.Run("lmp", QuenchArguments(dump, cells, runSteps: runSteps, dumpEvery: dumpEvery), directory);
        return dump;
    }

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
}
