using System.Diagnostics;

namespace StreamMonitor.Bench;

/// <summary>
/// This program started again as a long-lived child (a silo, a crowd of dashboard clients), under a launcher that sets
/// its cores or its priority (<c>taskset -c 2-3</c>, <c>nice -n 19</c>). The child says <c>ready</c> on its standard
/// output once it is, answers each command line on its standard input with one <c>key=value</c> line, and ends when its
/// input closes; its standard error passes through to this process's.
/// </summary>
public sealed class ChildSession : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(45);

    private readonly Process _process;
    private readonly string _what;

    private ChildSession(Process process, string what)
    {
        _process = process;
        _what = what;
    }

    /// <param name="what">Names the child in errors ("the silo process on cores 2-3").</param>
    public static async Task<ChildSession> StartAsync(string what, IReadOnlyList<string> launcher, IReadOnlyList<string> args, TimeSpan readyTimeout)
    {
        var (file, prefix) = BenchContext.Self();
        var start = new ProcessStartInfo(launcher[0]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false };
        foreach (var arg in (string[])[.. launcher.Skip(1), file, .. prefix, .. args]) start.ArgumentList.Add(arg);
        var child = new ChildSession(Process.Start(start) ?? throw new BenchException($"could not start {what}"), what);
        string? line;
        try
        {
            line = await child._process.StandardOutput.ReadLineAsync().WaitAsync(readyTimeout);
        }
        catch (TimeoutException)
        {
            line = $"(nothing within {readyTimeout.TotalMinutes:0.#} min)";
        }
        if (line == "ready") return child;
        await child.DisposeAsync();
        throw new BenchException($"{what} did not start: {line ?? "(it exited; its messages are above)"}");
    }

    /// <summary>Sends <paramref name="command"/> and returns the value of the <c><paramref name="key"/>=value</c> line it answers with.</summary>
    public async Task<string> AskAsync(string command, string key)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(AnswerTimeout);
        return line is not null && line.StartsWith(key + "=", StringComparison.Ordinal)
            ? line[(key.Length + 1)..]
            : throw new BenchException($"{_what} answered '{line}' to '{command}'");
    }

    /// <summary>CPU time the child has used so far, in seconds.</summary>
    public double CpuSeconds()
    {
        _process.Refresh();
        return _process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>Closes its input, so it ends on its own, and waits for it; kills it if it does not end in time.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(StopTimeout);
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
