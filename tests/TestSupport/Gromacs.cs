using System.Diagnostics;

namespace StreamMonitor.TestSupport;

/// <summary>Runs GROMACS' <c>gmx</c> tools for tests, without their banner and closing quote.</summary>
public static class Gromacs
{
    /// <summary>Runs one tool (e.g. <c>grompp</c>) in a directory to completion; throws with its output when it fails.</summary>
    public static ExternalProcess.Result Run(string directory, string? standardInput, params string[] arguments) =>
        ExternalProcess.Run("gmx", ["-quiet", .. arguments], directory, standardInput: standardInput, timeout: TimeSpan.FromMinutes(3));

    /// <summary>
    /// Starts one tool (e.g. <c>mdrun</c>) in a directory and returns it running. gmx runs the tool in its own process,
    /// with no shell in between, so the returned process's id is the one to signal. Its output is redirected: read it
    /// (or drain it) so that a full pipe never blocks the tool.
    /// </summary>
    public static Process Start(string directory, params string[] arguments) =>
        ExternalProcess.Start("gmx", ["-quiet", .. arguments], directory);
}
