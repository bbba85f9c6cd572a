namespace StreamMonitor.Monitoring.Control;

/// <summary>The <see cref="StopStrategySpec.Kind"/> names, shared by specs, outcomes, audit labels and the CLI.</summary>
public static class StopStrategyKinds
{
    /// <summary>Create a file the engine polls (LAMMPS <c>fix halt</c> on <c>is_file(STOP)</c>).</summary>
    public const string File = "file";

    /// <summary>Send a POSIX signal to a process (SIGTERM: GROMACS stops at the next neighbour-search step).</summary>
    public const string Signal = "signal";

    /// <summary>Run a command template without a shell (e.g. <c>scancel {jobid}</c>).</summary>
    public const string Command = "command";

    public static IReadOnlyList<string> All { get; } = [File, Signal, Command];
}
