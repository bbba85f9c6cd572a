using System.Globalization;
using System.Text.RegularExpressions;
using StreamMonitor.Monitoring.Paths;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// The server's rules for stopping runs: which command templates exist (by name), which processes may be signalled
/// (<see cref="ProcessGuard"/>) and where stop files may be written (<see cref="PathRoots"/>). A registration's
/// <see cref="StopSpec"/> is checked here once, when the run is registered, so a bad parameter or an unknown template
/// is refused then, not discovered when the stop fires; <see cref="Create"/> then builds the strategy from the checked
/// spec whenever the run needs it.
/// </summary>
/// <remarks>
/// Command placeholders are filled per stop: <c>{run_id}</c>, <c>{reason}</c> and <c>{by}</c> from the request,
/// <c>{trajectory}</c> and <c>{dir}</c> (its folder) from the run, and <c>{jobid}</c>, <c>{pid}</c> and the template's
/// declared parameters from the registration, each matched in full against its pattern so a value can never be read as
/// an option (a leading <c>-</c>) or smuggle anything else into the one argument it fills.
/// </remarks>
public sealed class StopPolicy
{
    /// <summary>Placeholders the server fills itself.</summary>
    public static IReadOnlyList<string> BuiltIns { get; } =
        [StopRequest.RunIdPlaceholder, StopRequest.ReasonPlaceholder, StopRequest.RequestedByPlaceholder, TrajectoryPlaceholder, DirectoryPlaceholder];

    public const string TrajectoryPlaceholder = "trajectory";
    public const string DirectoryPlaceholder = "dir";

    /// <summary>Parameters every template may use without declaring them, with their patterns.</summary>
    public static IReadOnlyDictionary<string, Regex> StandardParameters { get; } = new Dictionary<string, Regex>(StringComparer.OrdinalIgnoreCase)
    {
        ["jobid"] = new(@"\A[0-9][0-9_.]{0,63}\z", RegexOptions.CultureInvariant),
        ["pid"] = new(@"\A[1-9][0-9]{0,9}\z", RegexOptions.CultureInvariant),
    };

    /// <summary>The pattern of a declared parameter that gives none.</summary>
    public static Regex DefaultParameterPattern { get; } = new(@"\A[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\z", RegexOptions.CultureInvariant);

    /// <summary>
    /// A declared parameter's pattern as the server uses it: matched against the whole value. (.NET's <c>$</c> also
    /// matches before a final newline, and <c>^a|b$</c> is not anchored on both sides, so the text is wrapped whatever it is.)
    /// </summary>
    public static Regex WholeValue(string pattern) => new($@"\A(?:{pattern})\z", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    private readonly Dictionary<string, NamedCommand> _commands;

    public StopPolicy(PathRoots roots, IEnumerable<NamedCommand>? commands = null, ProcessGuard? signals = null)
    {
        Roots = roots ?? throw new ArgumentNullException(nameof(roots));
        Signals = signals ?? ProcessGuard.OwnProcesses;
        _commands = new Dictionary<string, NamedCommand>(StringComparer.Ordinal);
        foreach (var command in commands ?? [])
        {
            if (!_commands.TryAdd(command.Name, command)) throw new ArgumentException($"stop command '{command.Name}' is defined twice");
            Check(command);
        }
    }

    public PathRoots Roots { get; }

    public ProcessGuard Signals { get; }

    public IReadOnlyCollection<NamedCommand> Commands => _commands.Values;

    /// <summary>
    /// The spec as the run will keep it (a stop file's path made absolute and confined to the roots), or an
    /// <see cref="ArgumentException"/> saying what is wrong with it.
    /// </summary>
    public StopSpec Check(StopSpec spec, string trajectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        switch (spec.Kind())
        {
            case StopStrategyKinds.File:
                // A registration names the file itself: placeholders (filled only when the stop fires) would escape this check.
                if (Placeholders.Contains(spec.File!)) throw new ArgumentException($"stop file '{spec.File}': placeholders are not allowed here; give the path");
                return spec with { File = Roots.Confine(spec.File!, "stop file", Path.GetDirectoryName(trajectory)), Params = Empty };
            case StopStrategyKinds.Command:
                var command = Find(spec.Command!);
                var given = new Dictionary<string, string>(spec.Params, StringComparer.OrdinalIgnoreCase);
                foreach (var name in Required(command))
                {
                    if (!given.Remove(name, out var value))
                        throw new ArgumentException($"stop command '{command.Name}' needs the parameter \"{name}\" ({command.Template})");
                    if (!PatternOf(command, name).IsMatch(value))
                        throw new ArgumentException($"stop parameter \"{name}\" = '{value}' does not match {PatternOf(command, name)}");
                }
                if (given.Count > 0)
                    throw new ArgumentException($"stop command '{command.Name}' takes no parameter {string.Join(", ", given.Keys.Select(k => $"\"{k}\""))} ({command.Template})");
                return spec;
            default:
                var signal = UnixSignals.TryParse(spec.Signal ?? "TERM", out var parsed) ? parsed : throw new ArgumentException("stop: " + UnixSignals.Unknown(spec.Signal));
                if (spec.Pid is not { } pid) throw new ArgumentException("stop: a signal needs the \"pid\" of the process to signal");
                if (Signals.Refusal(pid) is { } refusal) throw new ArgumentException($"stop: {refusal}");
                return spec with { Signal = signal.ShortName(), Params = Empty };
        }
    }

    /// <summary>The strategy of a spec that <see cref="Check"/> passed. A template gone from the configuration since gives a strategy that reports so.</summary>
    public IStopStrategy Create(StopSpec spec) => spec.Kind() switch
    {
        StopStrategyKinds.File => new StopFileStrategy(spec.File!),
        StopStrategyKinds.Command => _commands.TryGetValue(spec.Command!, out var command)
            ? new CommandStrategy(command.Template, command.Timeout)
            : new RefusedStrategy(StopStrategyKinds.Command, $"did not run stop command '{spec.Command}'", $"the server has no stop command '{spec.Command}' any more"),
        _ => new SignalStrategy(spec.Pid!.Value.ToString(CultureInfo.InvariantCulture), UnixSignals.Parse(spec.Signal), Signals),
    };

    /// <summary>The values a run's stop requests carry: its trajectory, folder and the registration's parameters.</summary>
    public static IReadOnlyDictionary<string, string> PlaceholdersOf(StopSpec spec, string trajectory)
    {
        var values = new Dictionary<string, string>(spec.Params, StringComparer.OrdinalIgnoreCase)
        {
            [TrajectoryPlaceholder] = trajectory,
            [DirectoryPlaceholder] = Path.GetDirectoryName(trajectory) ?? "/",
        };
        return values;
    }

    private NamedCommand Find(string name) =>
        _commands.TryGetValue(name, out var command)
            ? command
            : throw new ArgumentException(_commands.Count == 0
                ? $"stop command '{name}': the server has no stop commands configured (serve --stop-command NAME=TEMPLATE)"
                : $"unknown stop command '{name}' (configured: {string.Join(", ", _commands.Keys.Order(StringComparer.Ordinal))})");

    /// <summary>The placeholders a registration must give a value for.</summary>
    private static IEnumerable<string> Required(NamedCommand command) =>
        command.Placeholders.Where(p => !BuiltIns.Contains(p, StringComparer.OrdinalIgnoreCase)).Select(p => p.ToLowerInvariant());

    private static Regex PatternOf(NamedCommand command, string name) =>
        command.Parameters.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value
        ?? StandardParameters.GetValueOrDefault(name)
        ?? DefaultParameterPattern;

    /// <summary>Every placeholder a template uses is one the server fills or a parameter it knows the pattern of.</summary>
    private static void Check(NamedCommand command)
    {
        foreach (var name in Required(command))
            if (!StandardParameters.ContainsKey(name) && !command.Parameters.Keys.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"stop command '{command.Name}' ({command.Template}) uses {{{name}}}, which is neither filled by the server "
                    + $"({string.Join(", ", BuiltIns)}), nor a standard parameter ({string.Join(", ", StandardParameters.Keys)}), nor declared with a pattern");
        foreach (var declared in command.Parameters.Keys)
            if (!command.Placeholders.Contains(declared, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"stop command '{command.Name}' declares the parameter \"{declared}\" but its template ({command.Template}) does not use it");
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}
