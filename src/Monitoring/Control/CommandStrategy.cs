using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// Stops a run by running a configured command, e.g. <c>scancel {jobid}</c> for a Slurm job or a site's own stop
/// script. The template is split into arguments when configured and run with <see cref="ProcessStartInfo.ArgumentList"/>,
/// never through a shell, so a placeholder value such as a path with spaces or <c>;</c> stays one literal argument.
/// </summary>
/// <remarks>
/// The outcome succeeds when the command exits with 0. A command that cannot be started, exits non-zero or outlives the
/// timeout (it is then killed with its children) gives a failed outcome with its exit code and what it printed
/// (truncated to <see cref="MaxOutputChars"/> per stream). Its standard input is closed at once, so a command that
/// asks a question gets end-of-file rather than hanging until the timeout.
/// </remarks>
public sealed class CommandStrategy : IStopStrategy
{
    /// <summary>How long a command may run: long enough for <c>scancel</c> on a busy controller.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The most characters of each of stdout and stderr kept in the outcome.</summary>
    public const int MaxOutputChars = 2000;

    /// <summary>How long to wait for output after the process exits, in case a grandchild keeps the pipe open.</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(1);

    /// <summary>A command written as one line (shell-like quoting, no expansion) or as a JSON array of strings.</summary>
    public CommandStrategy(string template, TimeSpan? timeout = null)
        : this(ParseTemplate(template), timeout)
    {
    }

    /// <summary>A command already split into argument templates.</summary>
    public CommandStrategy(IReadOnlyList<string> arguments, TimeSpan? timeout = null)
        : this(new CommandTemplate(arguments), timeout)
    {
    }

    public CommandStrategy(CommandTemplate template, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        Template = template;
        Timeout = timeout ?? DefaultTimeout;
        if (!(Timeout > TimeSpan.Zero && Timeout < TimeSpan.FromDays(1)))
            throw new ArgumentOutOfRangeException(nameof(timeout), Timeout, "the command timeout must be positive and under a day");
    }

    public CommandTemplate Template { get; }

    public TimeSpan Timeout { get; }

    public async Task<StopOutcome> StopAsync(StopRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Template.TryExpand(request, out var arguments, out var error))
            return StopOutcome.Failed(StopStrategyKinds.Command, $"did not run {Template}", error);
        var line = CommandLineTokenizer.Join(arguments);

        using var process = new Process { StartInfo = StartInfo(arguments) };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            return StopOutcome.Failed(StopStrategyKinds.Command, $"could not run {line}", $"could not start {arguments[0]}: {e.Message}");
        }
        process.StandardInput.Close();
        var stdout = new BoundedTextCapture(process.StandardOutput, MaxOutputChars);
        var stderr = new BoundedTextCapture(process.StandardError, MaxOutputChars);

        bool timedOut = false;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(Timeout);
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
        var output = Output(stdout.Text, stderr.Text);

        if (timedOut)
        {
            var seconds = Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return StopOutcome.Failed(StopStrategyKinds.Command, $"ran {line}: killed after {seconds} s",
                $"timed out after {seconds} s", output);
        }
        int code = process.ExitCode;
        var description = string.Create(CultureInfo.InvariantCulture, $"ran {line}: exit {code}");
        return code == 0
            ? StopOutcome.Succeeded(StopStrategyKinds.Command, description, output)
            : StopOutcome.Failed(StopStrategyKinds.Command, description,
                stderr.Text.Length > 0 ? $"exit code {code}: {stderr.Text}" : $"exit code {code}", output);
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

    private static string? Output(string stdout, string stderr) =>
        (stdout.Length, stderr.Length) switch
        {
            (0, 0) => null,
            (_, 0) => stdout,
            (0, _) => stderr,
            _ => stdout + "\n" + stderr,
        };

    private static CommandTemplate ParseTemplate(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        try
        {
            return CommandTemplate.Parse(template);
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, nameof(template), e);
        }
    }
}
