using System.Text;
using System.Text.RegularExpressions;

namespace StreamMonitor.Ingest.Tailing;

/// <summary>
/// The files of one run written as a series, named by a glob in the file name (LAMMPS <c>dump.*.lammpstrj</c>, one file
/// per snapshot; GROMACS <c>traj.part*.xtc</c> after <c>-noappend</c> restarts), in the order they were written:
/// natural order, numbers compared by value, so <c>dump.900</c> comes before <c>dump.1000</c>.
/// </summary>
public sealed class FileSeries
{
    private readonly Regex _name;

    public FileSeries(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var directory = Path.GetDirectoryName(Path.GetFullPath(pattern))!;
        if (IsPattern(directory)) throw new ArgumentException($"{pattern}: only the file name may have wildcards, not the folder");
        Pattern = pattern;
        Directory = directory;
        _name = new Regex("^" + GlobToRegex(Path.GetFileName(pattern)) + "$", RegexOptions.CultureInvariant);
    }

    public string Pattern { get; }

    public string Directory { get; }

    /// <summary>Whether <paramref name="path"/> names a series (has <c>*</c>, <c>?</c> or <c>[...]</c>) rather than one file.</summary>
    public static bool IsPattern(string path) => path.AsSpan().IndexOfAny('*', '?', '[') >= 0;

    public bool Matches(string path) =>
        string.Equals(Path.GetDirectoryName(Path.GetFullPath(path)), Directory, StringComparison.Ordinal) && _name.IsMatch(Path.GetFileName(path));

    /// <summary>The files of the series now on disk, in order.</summary>
    public IReadOnlyList<string> List()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var files = System.IO.Directory.EnumerateFiles(Directory).Where(f => _name.IsMatch(Path.GetFileName(f))).ToList();
        files.Sort(Compare);
        return files;
    }

    /// <summary>The first file after <paramref name="current"/> in the series, or null: one pass over the folder, no sort,
    /// since a followed series asks this on every poll and may hold many thousands of files.</summary>
    public string? After(string current)
    {
        if (!System.IO.Directory.Exists(Directory)) return null;
        string? next = null;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
            if (_name.IsMatch(Path.GetFileName(file)) && Compare(file, current) > 0 && (next is null || Compare(file, next) < 0))
                next = file;
        return next;
    }

    /// <summary>Natural order of file names: runs of digits compare by value, the rest ordinally.</summary>
    public static int Compare(string? a, string? b)
    {
        if (a is null || b is null) return string.CompareOrdinal(a, b);
        ReadOnlySpan<char> x = Path.GetFileName(a), y = Path.GetFileName(b);
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                int si = i, sj = j;
                while (i < x.Length && char.IsAsciiDigit(x[i])) i++;
                while (j < y.Length && char.IsAsciiDigit(y[j])) j++;
                var dx = x[si..i].TrimStart('0');
                var dy = y[sj..j].TrimStart('0');
                if (dx.Length != dy.Length) return dx.Length.CompareTo(dy.Length);
                int byDigits = dx.SequenceCompareTo(dy);
                if (byDigits != 0) return byDigits;
            }
            else
            {
                if (x[i] != y[j]) return x[i].CompareTo(y[j]);
                i++;
                j++;
            }
        }
        int byRest = (x.Length - i).CompareTo(y.Length - j);
        return byRest != 0 ? byRest : string.CompareOrdinal(a, b);
    }

    private static string GlobToRegex(string glob)
    {
        var regex = new StringBuilder();
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            switch (c)
            {
                case '*': regex.Append(".*"); break;
                case '?': regex.Append('.'); break;
                case '[':
                    int close = glob.IndexOf(']', i + 1);
                    if (close < 0) throw new ArgumentException($"{glob}: unclosed '[' in the file pattern");
                    var set = glob[(i + 1)..close];
                    regex.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = close;
                    break;
                default: regex.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return regex.ToString();
    }
}
