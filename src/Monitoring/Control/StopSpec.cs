namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// How a run asks to be stopped, as a registration says it: exactly one of a stop <see cref="File"/> the engine polls,
/// a <see cref="Signal"/> to a process (<see cref="Pid"/>), or a <see cref="Command"/> named from the server's
/// configured templates with its <see cref="Params"/>. Callers name what the server has configured; they never write a
/// command line (see <see cref="StopPolicy"/>, which turns a spec into a strategy or says why it cannot).
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record StopSpec
{
    /// <summary>A stop file; a relative path is taken from the trajectory's folder (e.g. <c>STOP</c> beside it).</summary>
    public string? File { get; init; }

    /// <summary>The name of a server-side command template (<c>serve --stop-command slurm='scancel {jobid}'</c>).</summary>
    public string? Command { get; init; }

    /// <summary>Values for the command's placeholders (<c>jobid</c>, <c>pid</c>, declared ones), each checked against its pattern.</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    /// <summary>A signal's name (<c>TERM</c>, <c>INT</c>, ...) to send to <see cref="Pid"/>.</summary>
    public string? Signal { get; init; }

    /// <summary>The process to signal: one the server's user owns (and, where configured, whose command line matches).</summary>
    public int? Pid { get; init; }

    public static StopSpec ForFile(string path) => new() { File = path };

    public static StopSpec ForCommand(string name, IReadOnlyDictionary<string, string>? parameters = null) =>
        new() { Command = name, Params = parameters ?? new Dictionary<string, string>() };

    public static StopSpec ForSignal(int pid, string signal = "TERM") => new() { Pid = pid, Signal = signal };

    /// <summary>Which kind of strategy the spec asks for (<see cref="StopStrategyKinds"/>), or why it is not exactly one.</summary>
    public string Kind() =>
        (File is not null, Command is not null, Signal is not null || Pid is not null) switch
        {
            (true, false, false) => StopStrategyKinds.File,
            (false, true, false) => StopStrategyKinds.Command,
            (false, false, true) => StopStrategyKinds.Signal,
            _ => throw new ArgumentException("stop: give exactly one of \"file\", \"command\" (with \"params\") or \"signal\" with \"pid\""),
        };
}
