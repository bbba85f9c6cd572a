using System.Text.RegularExpressions;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// Which processes a server may signal: its own user's, and, when a pattern is configured (<c>serve --signal-allow
/// 'lmp|gmx'</c>), only those whose command line matches it. Checked when a run is registered and again just before
/// the signal is sent, since a pid can be reused by another program once the engine has exited.
/// </summary>
public sealed class ProcessGuard(Regex? commandLine = null)
{
    /// <summary>Any process of the server's own user.</summary>
    public static ProcessGuard OwnProcesses { get; } = new();

    public Regex? CommandLine { get; } = commandLine;

    /// <summary>Why <paramref name="pid"/> may not be signalled, or null when it may.</summary>
    public string? Refusal(int pid)
    {
        if (pid <= 1) return $"pid {pid} is refused: 0 and negative pids signal process groups, 1 is init";
        var owner = ProcessIdentity.OwnerOf(pid);
        if (owner is null) return $"no process with pid {pid}";
        if (owner != ProcessIdentity.CurrentUser) return $"pid {pid} belongs to another user (uid {owner}), not the server's (uid {ProcessIdentity.CurrentUser})";
        if (CommandLine is { } pattern)
        {
            var line = ProcessIdentity.CommandLineOf(pid) ?? "";
            if (!pattern.IsMatch(line)) return $"pid {pid} runs '{Shorten(line)}', which does not match the server's --signal-allow '{pattern}'";
        }
        return null;
    }

    private static string Shorten(string line) => line.Length <= 120 ? line : line[..117] + "...";
}
