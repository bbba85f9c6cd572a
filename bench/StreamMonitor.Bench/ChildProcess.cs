namespace StreamMonitor.Bench;

/// <summary>
/// This program started again for a measurement that needs a process of its own (its peak memory, its CPU time, its
/// core count), its result read back from the <c>key=value</c> pairs it prints on stdout.
/// </summary>
public static class ChildProcess
{
    /// <param name="what">Names the child in an error ("child reader on x.dump").</param>
    /// <param name="launcher">A program that starts this one, with its arguments (<c>taskset -c 0</c>); none by default.</param>
    /// <param name="echoStderr">Pass the child's progress lines through to this process's stderr as they come.</param>
    public static IReadOnlyDictionary<string, string> Run(string what, IReadOnlyList<string> args,
        IReadOnlyList<string>? launcher = null, bool echoStderr = false)
    {
        var (file, prefix) = BenchContext.Self();
        string[] command = [.. launcher ?? [], file, .. prefix, .. args];
        var result = BenchContext.Run(command[0], command[1..], echoStderr);
        if (result.ExitCode != 0)
            throw new BenchException($"{what} failed (exit {result.ExitCode})" +
                                     (echoStderr ? "; its messages are above" : $": {result.Stderr.Trim()}"));
        return result.Stdout.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
    }

    /// <summary>The value of <paramref name="key"/> in a child's result, or a clear error when it printed none.</summary>
    public static string Get(this IReadOnlyDictionary<string, string> values, string key, string what) =>
        values.TryGetValue(key, out var value) ? value : throw new BenchException($"{what} printed no {key}=");
}
