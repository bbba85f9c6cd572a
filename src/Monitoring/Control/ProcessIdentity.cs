using System.Globalization;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// Who owns a process and what it runs, from <c>/proc</c>: a server may signal only its own user's processes, and where
/// configured only engines (<c>lmp</c>, <c>gmx</c>), so a registration cannot aim a signal at anything else the server
/// could kill.
/// </summary>
public static class ProcessIdentity
{
    /// <summary>The real user id of <paramref name="pid"/>, or null when there is no such process.</summary>
    public static int? OwnerOf(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                    return int.Parse(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>The command line of <paramref name="pid"/> with arguments joined by spaces, or null when it cannot be read.</summary>
    public static string? CommandLineOf(int pid)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{pid}/cmdline");
            return raw.TrimEnd('\0').Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The server's own user id.</summary>
    public static int CurrentUser { get; } = OwnerOf(Environment.ProcessId) ?? -1;
}
