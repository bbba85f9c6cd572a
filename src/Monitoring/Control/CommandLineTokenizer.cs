using System.Text;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// Splits a command line into arguments the way a POSIX shell splits words, and does nothing else: no variables,
/// globs, tildes, pipes, redirections or command separators, so <c>;</c>, <c>$(...)</c> and <c>*</c> are plain characters.
/// </summary>
/// <remarks>
/// Whitespace separates arguments. Inside single quotes every character is literal. Inside double quotes a backslash
/// escapes only <c>"</c> and <c>\</c>. Outside quotes a backslash makes the next character literal. Quoted and unquoted
/// pieces written together form one argument (<c>a"b c"d</c> is <c>ab cd</c>), and <c>''</c> is an empty argument.
/// <see cref="Quote"/> writes an argument back so that this tokenizer reads it unchanged.
/// </remarks>
public static class CommandLineTokenizer
{
    /// <summary>The arguments of <paramref name="text"/>; a <see cref="FormatException"/> names an unterminated quote or a trailing backslash.</summary>
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var arguments = new List<string>();
        var current = new StringBuilder();
        bool inArgument = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inArgument) arguments.Add(current.ToString());
                current.Clear();
                inArgument = false;
                continue;
            }
            inArgument = true;
            switch (c)
            {
                case '\'':
                    i = ReadQuoted(text, i, current, escapes: "");
                    break;
                case '"':
                    i = ReadQuoted(text, i, current, escapes: "\"\\");
                    break;
                case '\\':
                    if (i + 1 == text.Length) throw new FormatException($"the command '{text}' ends with a lone backslash");
                    current.Append(text[++i]);
                    break;
                default:
                    current.Append(c);
                    break;
            }
        }
        if (inArgument) arguments.Add(current.ToString());
        return arguments;
    }

    /// <summary>Writes an argument so that <see cref="Split"/> reads it back unchanged, quoting only when needed.</summary>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Length > 0 && argument.All(c => !char.IsWhiteSpace(c) && c is not ('\'' or '"' or '\\')))
            return argument;
        return "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Arguments written back as one line, e.g. for an outcome's description.</summary>
    public static string Join(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));

    /// <summary>Appends a quoted section that starts at <paramref name="open"/> and returns the index of its closing quote.</summary>
    private static int ReadQuoted(string text, int open, StringBuilder into, string escapes)
    {
        char quote = text[open];
        for (int i = open + 1; i < text.Length; i++)
        {
            char c = text[i];
            if (c == quote) return i;
            if (c == '\\' && i + 1 < text.Length && escapes.Contains(text[i + 1], StringComparison.Ordinal)) c = text[++i];
            into.Append(c);
        }
        throw new FormatException($"the command '{text}' has an unterminated {quote} quote starting at position {open + 1}");
    }
}
