namespace StreamMonitor.Monitoring.Oracles;

/// <summary>How <see cref="CnaQuenchOracle"/> runs LAMMPS: the executable and the interactions of the quench.</summary>
public sealed record CnaQuenchOptions
{
    /// <summary>The LAMMPS executable: <c>LMP</c> from the environment, else <c>lmp</c> on the PATH.</summary>
    public string Lmp { get; init; } = Environment.GetEnvironmentVariable("LMP") is { Length: > 0 } lmp ? lmp : "lmp";

    public string Units { get; init; } = "lj";

    /// <summary>The run's pair style (the quench must find the run's own energy minima).</summary>
    public string PairStyle { get; init; } = "lj/cut 2.5";

    public string PairCoeff { get; init; } = "* * 1.0 1.0";

    /// <summary>Neighbour-list skin, in the length unit of <see cref="Units"/>.</summary>
    public double Skin { get; init; } = 0.3;

    /// <summary><c>minimize</c>'s stopping tolerances: relative energy change and force norm.</summary>
    public double EnergyTolerance { get; init; } = 1e-8;

    public double ForceTolerance { get; init; } = 1e-6;

    public int MaxIterations { get; init; } = 5000;

    /// <summary>The longest move of an atom per line search (<c>min_modify dmax</c>), in the length unit of <see cref="Units"/>.</summary>
    public double MaxDisplacement { get; init; } = 0.005;

    /// <summary>Atoms, of an atom and its 12 nearest, whose thermal structure must match its quenched one (<see cref="Classification.Oracles.QuenchedStructureLabeller"/>).</summary>
    public int Witnesses { get; init; } = 3;
}
