using System.Text.RegularExpressions;

namespace StreamMonitor.Monitoring;

/// <summary>
/// What a run id may be: a letter or digit, then up to 127 letters, digits, <c>.</c>, <c>_</c>, <c>:</c> or <c>-</c>.
/// Ids appear in URLs, file names, stream keys and command arguments, so nothing in them may need quoting or climb a
/// folder.
/// </summary>
public static partial class RunIds
{
    public const string Rule = "a letter or digit, then up to 127 letters, digits, '.', '_', ':' or '-'";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the rule when <paramref name="id"/> breaks it.</summary>
    public static string Validate(string? id) =>
        IsValid(id) ? id! : throw new ArgumentException($"run id '{id}' is not valid: it must be {Rule}");

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
