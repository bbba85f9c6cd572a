using System.ComponentModel;
using System.Diagnostics;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// Runs a short command given as an argument list (never through a shell) to its end or its timeout: a stop command
/// (<c>scancel {jobid}</c>), a campaign's submission (<c>sbatch --parsable ...</c>) or its job query. Its standard input
/// is closed at once, so a command that asks a question gets end-of-file rather than hanging until the timeout.
/// </summary>
public static class CommandRunner
{
    /// <summary>The most characters of each of stdout and stderr kept.</summary>
    public const int MaxOutputChars = 2000;

    /// <summary>How long to wait for output after the process exits, in case a grandchild keeps the pipe open.</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(1);

    public static async Task<CommandResult> RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var line = CommandLineTokenizer.Join(arguments);
        using var process = new Process { StartInfo = StartInfo(arguments) };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            return new CommandResult { Line = line, StartError = $"could not start {arguments[0]}: {e.Message}" };
        }
        process.StandardInput.Close();
        var stdout = new BoundedTextCapture(process.StandardOutput, MaxOutputChars);
        var stderr = new BoundedTextCapture(process.StandardError, MaxOutputChars);

        bool timedOut = false;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await KillAsync(process).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                timedOut = true;
            }
        }
        await Task.WhenAny(Task.WhenAll(stdout.Completion, stderr.Completion), Task.Delay(OutputGrace, CancellationToken.None)).ConfigureAwait(false);
        return new CommandResult
        {
            Line = line, TimedOut = timedOut, ExitCode = timedOut ? -1 : process.ExitCode, Stdout = stdout.Text, Stderr = stderr.Text,
        };
    }

    private static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(arguments[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        for (int i = 1; i < arguments.Count; i++) info.ArgumentList.Add(arguments[i]);
        return info;
    }

    /// <summary>Kills the command and whatever it started, then reaps it (briefly: a process in uninterruptible sleep may linger).</summary>
    private static async Task KillAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
        using var reap = new CancellationTokenSource(OutputGrace);
        try
        {
            await process.WaitForExitAsync(reap.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Reported as timed out all the same; the runtime reaps it when it does exit.
        }
    }
}
