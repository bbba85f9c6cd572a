namespace StreamMonitor.Cli;

/// <summary>A problem to report to the user as it is, with the exit code to leave with.</summary>
internal sealed class CliException(string message, int exitCode = CliErrors.UsageError) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
