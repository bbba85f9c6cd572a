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

    /// <summary>
    /// The file names the program of <paramref name="pid"/> goes by: that of its argv[0] and that of its executable (they
    /// differ for links such as Debian's alternatives); empty when neither can be read.
    /// </summary>
    public static IReadOnlyList<string> ProgramNamesOf(int pid)
    {
        var names = new List<string>(2);
        try
        {
            var raw = File.ReadAllText($"/proc/{pid}/cmdline");
            int end = raw.IndexOf('\0');
            var argv0 = end >= 0 ? raw[..end] : raw;
            if (argv0.Length > 0) names.Add(Path.GetFileName(argv0));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        try
        {
            if (new FileInfo($"/proc/{pid}/exe").LinkTarget is { } exe && Path.GetFileName(exe) is { Length: > 0 } name && !names.Contains(name)) names.Add(name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return names;
    }

    /// <summary>This process and every process above it, up to init.</summary>
    public static IReadOnlySet<int> AncestorsOfSelf()
    {
        var chain = new HashSet<int>();
        for (int pid = Environment.ProcessId; pid > 1 && chain.Add(pid);) pid = ParentOf(pid) ?? 0;
        return chain;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("PPid:", StringComparison.Ordinal))
                    return int.Parse(line.AsSpan(5).Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return null;
    }

    /// <summary>
    /// When <paramref name="pid"/> started (clock ticks after boot, <c>/proc/PID/stat</c> field 22), or null when there is no
    /// such process or it is a zombie: with the pid, it tells a process from a later one that was given the same pid.
    /// </summary>
    public static long? StartTimeOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces and ')'; the fields after the last ')' are plain.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] == "Z") return null;
            return long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Whether the process that started at <paramref name="startTime"/> with this pid is still running.</summary>
    public static bool IsRunning(int pid, long startTime) => StartTimeOf(pid) == startTime;

    /// <summary>The server's own user id.</summary>
    public static int CurrentUser { get; } = OwnerOf(Environment.ProcessId) ?? -1;
}
