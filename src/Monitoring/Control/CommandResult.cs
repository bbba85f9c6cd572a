namespace StreamMonitor.Monitoring.Control;

/// <summary>How a command run by <see cref="CommandRunner"/> went: whether it started, how it ended, what it printed (bounded).</summary>
public sealed record CommandResult
{
    /// <summary>The command as one line, for messages.</summary>
    public required string Line { get; init; }

    /// <summary>Why the program could not be started; null when it was.</summary>
    public string? StartError { get; init; }

    public int ExitCode { get; init; }

    /// <summary>It outlived its timeout and was killed with its children.</summary>
    public bool TimedOut { get; init; }

    public string Stdout { get; init; } = "";

    public string Stderr { get; init; } = "";

    public bool Succeeded => StartError is null && !TimedOut && ExitCode == 0;

    /// <summary>Both streams together, or null when it printed nothing.</summary>
    public string? Output =>
        (Stdout.Length, Stderr.Length) switch
        {
            (0, 0) => null,
            (_, 0) => Stdout,
            (0, _) => Stderr,
            _ => Stdout + "\n" + Stderr,
        };
}
