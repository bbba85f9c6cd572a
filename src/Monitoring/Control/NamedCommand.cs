using System.Text.RegularExpressions;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// A command template the server's operator configured under a name (<c>slurm='scancel {jobid}'</c>): the only commands
/// a stop can run. Its placeholders are the built-ins a <see cref="StopPolicy"/> fills (run id, trajectory, folder,
/// reason, who) and parameters a registration supplies, each with a pattern the value must match in full.
/// </summary>
public sealed record NamedCommand
{
    /// <summary>Names a template: letters, digits, <c>_</c> and <c>-</c>.</summary>
    public static readonly Regex NamePattern = new(@"\A[A-Za-z][A-Za-z0-9_-]{0,63}\z", RegexOptions.CultureInvariant);

    public NamedCommand(string name, CommandTemplate template, IReadOnlyDictionary<string, Regex>? parameters = null, TimeSpan? timeout = null)
    {
        if (!NamePattern.IsMatch(name ?? "")) throw new ArgumentException($"stop command name '{name}' must be a letter then letters, digits, '_' or '-'");
        Name = name!;
        Template = template ?? throw new ArgumentNullException(nameof(template));
        Parameters = parameters ?? new Dictionary<string, Regex>();
        Timeout = timeout is null || (timeout > TimeSpan.Zero && timeout <= LongestTimeout)
            ? timeout
            : throw new ArgumentException($"stop command '{name}': its timeout must be over 0 and at most {LongestTimeout.TotalSeconds:0} s, got {timeout.Value.TotalSeconds} s");
    }

    /// <summary>
    /// The longest a stop command may run: the stop is carried out inside the run grain's call, which Orleans answers
    /// within the grain interface's response timeout (<c>IRunGrain.Stop</c>), and the command must end before that.
    /// </summary>
    public static readonly TimeSpan LongestTimeout = TimeSpan.FromSeconds(120);

    public string Name { get; }

    public CommandTemplate Template { get; }

    /// <summary>Parameters a registration must give, beyond the placeholders the policy knows, with their patterns.</summary>
    public IReadOnlyDictionary<string, Regex> Parameters { get; }

    public TimeSpan? Timeout { get; }

    /// <summary>The placeholder names the template uses, in order of first use.</summary>
    public IReadOnlyList<string> Placeholders => Template.Arguments.SelectMany(StreamMonitor.Monitoring.Control.Placeholders.Names).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>
    /// Reads <c>NAME=TEMPLATE</c> as <c>serve --stop-command</c> takes it (e.g. <c>slurm=scancel {jobid}</c>); the template
    /// is one line with shell-like quoting, or a JSON array of strings.
    /// </summary>
    public static NamedCommand Parse(string text)
    {
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) throw new FormatException($"--stop-command '{text}' is not NAME=TEMPLATE (e.g. slurm='scancel {{jobid}}')");
        try
        {
            return new NamedCommand(text[..eq].Trim(), CommandTemplate.Parse(text[(eq + 1)..]));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"--stop-command '{text}': {e.Message}");
        }
    }
}
