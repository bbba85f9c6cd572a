using System.Text.RegularExpressions;

namespace StreamMonitor.Monitoring.Alerts;

/// <summary>
/// Which runs a rule watches: a run id pattern where <c>*</c> stands for any characters and <c>?</c> for one
/// (<c>lj-*</c>, <c>shot-??</c>, <c>*</c> for every run). Everything else matches itself.
/// </summary>
public static partial class RunGlob
{
    public const string Any = "*";

    public const string Rule = "a run id pattern: run id characters (letters, digits, '.', '_', ':', '-') with '*' for any characters and '?' for one";

    public static bool IsValid(string? glob) => !string.IsNullOrEmpty(glob) && glob.Length <= 128 && Syntax().IsMatch(glob);

    public static bool Matches(string glob, string runId) =>
        glob == Any || Regex.IsMatch(runId, ToRegex(glob), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    private static string ToRegex(string glob) =>
        @"\A" + Regex.Escape(glob).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + @"\z";

    [GeneratedRegex(@"\A[A-Za-z0-9._:*?-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();
}
