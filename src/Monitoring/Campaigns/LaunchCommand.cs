using System.Globalization;
using System.Text.RegularExpressions;
using StreamMonitor.Monitoring.Control;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>
/// A command the server may launch shots with, configured under a name (<c>serve --launch-command lmp='lmp -in shoot.in
/// -var seed {seed} ...'</c>): campaigns name it, they never write a command line. A <see cref="LaunchKinds.Local"/> command
/// is the engine itself, started in the shot's folder; a <see cref="LaunchKinds.Submit"/> command hands the shot to a batch
/// system (<c>sbatch --parsable ...</c>) and prints the job id, which <see cref="Status"/> (<c>squeue -h -j {jobid}</c>)
/// is asked about. Placeholders: <see cref="ShotPlaceholders"/>.
/// </summary>
public sealed record LaunchCommand
{
    /// <summary>Picks the job id out of what the submit command printed: <c>123</c>, <c>123;cluster</c>, <c>Submitted batch job 123</c>.</summary>
    public static readonly Regex DefaultJobId = new(@"(\d+)", RegexOptions.CultureInvariant);

    public LaunchCommand(string name, string kind, CommandTemplate template, CommandTemplate? status = null, TimeSpan? timeout = null)
    {
        if (!NamedCommand.NamePattern.IsMatch(name ?? "")) throw new ArgumentException($"launch command name '{name}' must be a letter then letters, digits, '_' or '-'");
        if (kind is not (LaunchKinds.Local or LaunchKinds.Submit)) throw new ArgumentException($"launch command '{name}': kind must be '{LaunchKinds.Local}' or '{LaunchKinds.Submit}', got '{kind}'");
        if (status is not null && kind != LaunchKinds.Submit) throw new ArgumentException($"launch command '{name}': only a submit command has a status command");
        ShotPlaceholders.Check(template, $"launch command '{name}'");
        if (status is not null) ShotPlaceholders.Check(status, $"launch command '{name}' status", ShotPlaceholders.JobId);
        Name = name!;
        Kind = kind;
        Template = template;
        Status = status;
        Timeout = timeout ?? TimeSpan.FromSeconds(60);
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(10))
            throw new ArgumentException($"launch command '{name}': its timeout must be over 0 and at most 600 s");
    }

    public string Name { get; }

    /// <summary><see cref="LaunchKinds.Local"/> or <see cref="LaunchKinds.Submit"/>.</summary>
    public string Kind { get; }

    public CommandTemplate Template { get; }

    /// <summary>For a submit command: asked with <c>{jobid}</c> whether the job is still queued or running (exit 0 with output: yes).</summary>
    public CommandTemplate? Status { get; }

    /// <summary>How long a submit or status command may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// Reads <c>NAME=TEMPLATE</c> (a <see cref="LaunchKinds.Local"/> command) as <c>serve --launch-command</c> takes it; the
    /// template is one line with shell-like quoting or a JSON array of strings.
    /// </summary>
    public static LaunchCommand Parse(string text, string kind = LaunchKinds.Local, string option = "--launch-command")
    {
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) throw new FormatException($"{option} '{text}' is not NAME=TEMPLATE (e.g. lmp='lmp -in shoot.in -var seed {{seed}}')");
        try
        {
            return new LaunchCommand(text[..eq].Trim(), kind, CommandTemplate.Parse(text[(eq + 1)..]));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{option} '{text}': {e.Message}");
        }
    }

    /// <summary>This submit command with a status command (<c>serve --job-status NAME=TEMPLATE</c>).</summary>
    public LaunchCommand WithStatus(CommandTemplate status) => new(Name, Kind, Template, status, Timeout);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({Kind}): {Template}");
}
