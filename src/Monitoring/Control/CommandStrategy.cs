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
    public const int MaxOutputChars = CommandRunner.MaxOutputChars;

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
        var result = await CommandRunner.RunAsync(arguments, Timeout, cancellationToken).ConfigureAwait(false);
        if (result.StartError is { } notStarted) return StopOutcome.Failed(StopStrategyKinds.Command, $"could not run {result.Line}", notStarted);
        if (result.TimedOut)
        {
            var seconds = Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return StopOutcome.Failed(StopStrategyKinds.Command, $"ran {result.Line}: killed after {seconds} s",
                $"timed out after {seconds} s", result.Output);
        }
        int code = result.ExitCode;
        var description = string.Create(CultureInfo.InvariantCulture, $"ran {result.Line}: exit {code}");
        return code == 0
            ? StopOutcome.Succeeded(StopStrategyKinds.Command, description, result.Output)
            : StopOutcome.Failed(StopStrategyKinds.Command, description,
                result.Stderr.Length > 0 ? $"exit code {code}: {result.Stderr}" : $"exit code {code}", result.Output);
    }

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
