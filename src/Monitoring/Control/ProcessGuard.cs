using System.Text.RegularExpressions;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// Which processes a server may signal: its own user's, never itself or a process it runs under (its shell, its service
/// manager), and, when a pattern is configured (<c>serve --signal-allow 'lmp.*|gmx.*'</c>), only programs whose name
/// matches it in full. The name is the program's file name (argv[0] or the executable), not its command line, so a
/// shell or an editor that merely mentions <c>lmp</c> does not pass. Checked when a run is registered and again just
/// before the signal is sent, since a pid can be reused by another program once the engine has exited.
/// </summary>
public sealed class ProcessGuard
{
    /// <summary>Any process of the server's own user, but the server and its ancestors.</summary>
    public static ProcessGuard OwnProcesses { get; } = new();

    /// <param name="programs">Program names that may be signalled, as a pattern matched against the whole name; null: any.</param>
    public ProcessGuard(Regex? programs = null)
    {
        Programs = programs;
        _whole = programs is null ? null : StopPolicy.WholeValue(programs.ToString());
    }

    private readonly Regex? _whole;

    public Regex? Programs { get; }

    /// <summary>Why <paramref name="pid"/> may not be signalled, or null when it may.</summary>
    public string? Refusal(int pid)
    {
        if (pid <= 1) return $"pid {pid} is refused: 0 and negative pids signal process groups, 1 is init";
        var owner = ProcessIdentity.OwnerOf(pid);
        if (owner is null) return $"no process with pid {pid}";
        if (owner != ProcessIdentity.CurrentUser) return $"pid {pid} belongs to another user (uid {owner}), not the server's (uid {ProcessIdentity.CurrentUser})";
        if (ProcessIdentity.AncestorsOfSelf().Contains(pid)) return $"pid {pid} is the server itself or a process it runs under";
        if (_whole is { } pattern)
        {
            var names = ProcessIdentity.ProgramNamesOf(pid);
            if (!names.Any(pattern.IsMatch))
                return $"pid {pid} runs {string.Join(" / ", names.DefaultIfEmpty("an unknown program"))}, which --signal-allow '{Programs}' does not name";
        }
        return null;
    }
}
