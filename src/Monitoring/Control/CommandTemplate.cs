using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// A command as a list of argument templates, e.g. <c>scancel {jobid}</c>: split into arguments once, when configured,
/// and filled in per request, so a placeholder's value is always exactly one argument whatever spaces, quotes or
/// <c>;</c> it contains. The command is never given to a shell.
/// </summary>
public sealed class CommandTemplate
{
    /// <summary>A command already split into arguments; the first is the program (a path, or a name looked up on PATH).</summary>
    public CommandTemplate(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (Problem(arguments) is { } problem) throw new ArgumentException(problem, nameof(arguments));
        Arguments = [.. arguments];
    }

    public IReadOnlyList<string> Arguments { get; }

    /// <summary>
    /// Reads a command written as one line (<c>scancel {jobid}</c>, split by <see cref="CommandLineTokenizer"/>) or as a
    /// JSON array of strings (<c>["scancel", "{jobid}"]</c>, when the text starts with <c>[</c>).
    /// </summary>
    public static CommandTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text)) throw new FormatException("the command is empty");
        IReadOnlyList<string> arguments;
        if (text.TrimStart().StartsWith('['))
        {
            try
            {
                arguments = JsonSerializer.Deserialize<string[]>(text) ?? [];
            }
            catch (JsonException e)
            {
                throw new FormatException($"the command '{text}' starts with '[' but is not a JSON array of strings: {e.Message}", e);
            }
        }
        else
        {
            arguments = CommandLineTokenizer.Split(text);
        }
        return Problem(arguments) is { } problem ? throw new FormatException($"{problem}: '{text}'") : new CommandTemplate(arguments);
    }

    /// <summary>The arguments with the request's (or a launch's) placeholders filled in, or which placeholder could not be.</summary>
    public bool TryExpand(IPlaceholderValues request, [NotNullWhen(true)] out IReadOnlyList<string>? arguments, [NotNullWhen(false)] out string? error)
    {
        var expanded = new string[Arguments.Count];
        for (int i = 0; i < expanded.Length; i++)
        {
            if (!Placeholders.TryExpand(Arguments[i], request, out var value, out error))
            {
                arguments = null;
                return false;
            }
            expanded[i] = value;
        }
        arguments = expanded;
        error = null;
        return true;
    }

    /// <summary>The command as one line that <see cref="Parse"/> reads back to the same arguments.</summary>
    public override string ToString() => CommandLineTokenizer.Join(Arguments);

    private static string? Problem(IReadOnlyList<string> arguments) =>
        arguments.Count == 0 ? "the command is empty"
        : arguments.Any(a => a is null) ? "the command has a null argument"
        : string.IsNullOrWhiteSpace(arguments[0]) ? "the command's program is empty"
        : null;
}
