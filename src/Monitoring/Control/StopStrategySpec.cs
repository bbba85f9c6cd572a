using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// How a run is to be stopped, as data: what a run's registration, a config file or a grain's state stores, and what
/// <see cref="Create"/> turns into an <see cref="IStopStrategy"/>. On the command line it is written
/// <c>file:PATH</c>, <c>signal:PID[:SIGNAL]</c> or <c>command:TEMPLATE</c> (see <see cref="Parse"/>).
/// </summary>
public sealed record StopStrategySpec
{
    /// <summary>The accepted forms, for error messages and help text.</summary>
    public const string Syntax = "file:PATH, signal:PID[:SIGNAL] or command:TEMPLATE";

    /// <summary>One of <see cref="StopStrategyKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>
    /// What the strategy acts on: the stop file's path, the pid (a number or <c>{pid}</c>), or the command template
    /// (one line, or a JSON array of strings). Paths and commands may hold placeholders.
    /// </summary>
    public required string Target { get; init; }

    /// <summary>For <see cref="StopStrategyKinds.Signal"/> only: the signal's name (<c>TERM</c> when null).</summary>
    public string? Signal { get; init; }

    /// <summary>For <see cref="StopStrategyKinds.Command"/> only: how long the command may run (<see cref="CommandStrategy.DefaultTimeout"/> when null).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Builds the strategy; an <see cref="ArgumentException"/> says what is wrong with the spec.</summary>
    public IStopStrategy Create()
    {
        if (!StopStrategyKinds.All.Any(IsKind))
            throw new ArgumentException($"unknown stop strategy kind '{Kind}': use {string.Join(", ", StopStrategyKinds.All)}");
        if (Signal is not null && !IsKind(StopStrategyKinds.Signal))
            throw new ArgumentException($"a signal applies only to signal strategies, not to {Kind}");
        if (Timeout is not null && !IsKind(StopStrategyKinds.Command))
            throw new ArgumentException($"a timeout applies only to command strategies, not to {Kind}");
        return Kind.ToLowerInvariant() switch
        {
            StopStrategyKinds.File => new StopFileStrategy(Target),
            StopStrategyKinds.Signal => new SignalStrategy(Target, Signal is null ? UnixSignal.Term : ParseSignal(Signal)),
            StopStrategyKinds.Command => new CommandStrategy(Target, Timeout),
            _ => throw new UnreachableException(),
        };
    }

    /// <summary>
    /// Reads <c>file:PATH</c>, <c>signal:PID[:SIGNAL]</c> (e.g. <c>signal:{pid}:INT</c>) or <c>command:TEMPLATE</c>
    /// (e.g. <c>command:scancel {jobid}</c>); everything after <c>file:</c> and <c>command:</c> is the path or template,
    /// colons included. The spec is checked by building its strategy, so a spec that parses also creates.
    /// </summary>
    public static StopStrategySpec Parse(string text) =>
        TryParse(text, out var spec, out var error) ? spec : throw new FormatException(error);

    /// <summary>As <see cref="Parse"/>, returning the error instead of throwing it.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out StopStrategySpec? spec, [NotNullWhen(false)] out string? error)
    {
        spec = null;
        int colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (text is null || colon <= 0)
        {
            error = $"stop strategy '{text}' is not {Syntax}";
            return false;
        }
        var kind = text[..colon].Trim().ToLowerInvariant();
        var rest = text[(colon + 1)..];
        var parsed = new StopStrategySpec { Kind = kind, Target = rest };
        if (kind == StopStrategyKinds.Signal && rest.Split(':') is var parts && parts.Length > 1)
        {
            if (parts.Length > 2)
            {
                error = $"stop strategy '{text}': a signal strategy is signal:PID[:SIGNAL], with at most one more colon";
                return false;
            }
            parsed = parsed with { Target = parts[0], Signal = parts[1] };
        }
        try
        {
            _ = parsed.Create();
        }
        catch (ArgumentException e)
        {
            error = $"stop strategy '{text}': {WithoutParameterName(e)}";
            return false;
        }
        spec = parsed;
        error = null;
        return true;
    }

    /// <summary>The command-line form, which <see cref="Parse"/> reads back (a timeout is not part of it).</summary>
    public override string ToString() => Signal is null ? $"{Kind}:{Target}" : $"{Kind}:{Target}:{Signal}";

    private bool IsKind(string kind) => string.Equals(Kind, kind, StringComparison.OrdinalIgnoreCase);

    private static UnixSignal ParseSignal(string text) =>
        UnixSignals.TryParse(text, out var signal) ? signal : throw new ArgumentException(UnixSignals.Unknown(text));

    private static string WithoutParameterName(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
}
