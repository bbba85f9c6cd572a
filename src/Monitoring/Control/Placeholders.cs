using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// Fills <c>{name}</c> placeholders in a strategy's path, pid or command argument from a <see cref="StopRequest"/>, or in
/// a campaign's launch command from its shot's values.
/// </summary>
/// <remarks>
/// A placeholder is a brace, a name (a letter or underscore, then letters, digits or underscores) and a closing brace;
/// <c>{{</c> and <c>}}</c> stand for literal braces, and any other brace is kept as it is (so <c>awk '{print $1}'</c>
/// needs no escaping). Values are inserted verbatim, never re-scanned, and in commands they stay inside the one
/// argument they were written in. An unknown or empty placeholder fails the expansion: a stop with a hole in it
/// (<c>scancel ""</c>, a stop file at <c>/STOP</c>) is worse than a stop reported as failed.
/// </remarks>
public static class Placeholders
{
    /// <summary>Expands <paramref name="template"/>, or says which placeholder could not be filled.</summary>
    public static bool TryExpand(string template, IPlaceholderValues request, [NotNullWhen(true)] out string? expanded,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder(template.Length);
        for (int i = 0; i < template.Length; i++)
        {
            if (IsEscapedBrace(template, i))
            {
                text.Append(template[i++]);
            }
            else if (TryMatch(template, i, out var name))
            {
                if (!request.TryGetPlaceholder(name, out var value))
                    return Fail(out expanded, out error,
                        $"unknown placeholder {{{name}}} in '{template}' (known: {string.Join(", ", request.PlaceholderNames)})");
                if (value.Length == 0)
                    return Fail(out expanded, out error, $"placeholder {{{name}}} in '{template}' is empty");
                text.Append(value);
                i += name.Length + 1;
            }
            else
            {
                text.Append(template[i]);
            }
        }
        expanded = text.ToString();
        error = null;
        return true;
    }

    /// <summary>The placeholder names in <paramref name="template"/>, in order (repeats included).</summary>
    public static IEnumerable<string> Names(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        for (int i = 0; i < template.Length; i++)
        {
            if (IsEscapedBrace(template, i)) i++;
            else if (TryMatch(template, i, out var name))
            {
                yield return name;
                i += name.Length + 1;
            }
        }
    }

    /// <summary>Whether <paramref name="template"/> contains at least one placeholder (so its value is known only per request).</summary>
    public static bool Contains(string template) => Names(template).Any();

    private static bool IsEscapedBrace(string text, int i) => text[i] is '{' or '}' && i + 1 < text.Length && text[i + 1] == text[i];

    /// <summary>Whether a placeholder starts at <paramref name="i"/>, and its name.</summary>
    private static bool TryMatch(string text, int i, [NotNullWhen(true)] out string? name)
    {
        name = null;
        if (text[i] != '{') return false;
        int end = i + 1;
        while (end < text.Length && (char.IsAsciiLetter(text[end]) || text[end] == '_' || (end > i + 1 && char.IsAsciiDigit(text[end])))) end++;
        if (end == i + 1 || end >= text.Length || text[end] != '}') return false;
        name = text[(i + 1)..end];
        return true;
    }

    private static bool Fail(out string? expanded, out string? error, string message)
    {
        expanded = null;
        error = message;
        return false;
    }
}
