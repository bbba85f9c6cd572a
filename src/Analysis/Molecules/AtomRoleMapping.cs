using System.Globalization;

namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// A user's atom-role mapping for files that name atoms by force-field type only: which <c>type</c> (or <c>element</c>,
/// or other column) values are which element of the preset's molecule, as in <c>--roles C=3,O=2,N=4</c>. An element may
/// take several values (<c>C=4,C=5</c>: two carbon types); a value may name one element only. Immutable.
/// </summary>
public sealed class AtomRoleMapping
{
    private AtomRoleMapping(IReadOnlyList<(string Symbol, string Value)> pairs, string? column, string option, string columnOption)
    {
        Pairs = pairs;
        Column = column;
        Option = option;
        ColumnOption = columnOption;
    }

    /// <summary>(element symbol, column value) pairs in the order given.</summary>
    public IReadOnlyList<(string Symbol, string Value)> Pairs { get; }

    /// <summary>The column the values refer to; null: <c>type</c>, else <c>element</c>, whichever holds them.</summary>
    public string? Column { get; }

    /// <summary>What the user wrote the mapping in ("--roles", "roles"), named by errors.</summary>
    public string Option { get; }

    /// <summary>What the user chose the column with ("--roles-column", "roles_column").</summary>
    public string ColumnOption { get; }

    /// <summary>The mapping as written: "C=3,O=2,N=4".</summary>
    public string Text => string.Join(",", Pairs.Select(p => $"{p.Symbol}={p.Value}"));

    /// <summary>
    /// Reads <c>C=3,O=2,N=4</c>; throws naming <paramref name="option"/> on a malformed pair, an unknown element symbol, or
    /// a value given to two elements.
    /// </summary>
    public static AtomRoleMapping Parse(string text, string? column = null, string option = "--roles", string columnOption = "--roles-column")
    {
        ArgumentNullException.ThrowIfNull(text);
        var pairs = new List<(string Symbol, string Value)>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            int eq = item.IndexOf('=');
            if (eq <= 0 || eq == item.Length - 1)
                throw new ArgumentException($"{option}: '{item}' is not ELEMENT=VALUE (e.g. {option} C=3,O=2,N=4)");
            string key = item[..eq].Trim(), value = item[(eq + 1)..].Trim();
            string symbol = ChemicalElements.BySymbol(key) ?? throw new ArgumentException($"{option}: '{key}' is not an element symbol (in {item})");
            foreach (var (other, seen) in pairs)
                if (SameValue(seen, value) && other != symbol)
                    throw new ArgumentException($"{option}: {value} is mapped to both {other} and {symbol}; one value names one element");
            if (!pairs.Any(p => p.Symbol == symbol && SameValue(p.Value, value))) pairs.Add((symbol, value));
        }
        if (column is not null && string.IsNullOrWhiteSpace(column))
            throw new ArgumentException($"{columnOption}: empty (type, element or a column name)");
        return new AtomRoleMapping(pairs, column?.Trim(), option, columnOption);
    }

    /// <summary>Values compare as numbers when both are numbers ("3" = "3.0"), else as text ignoring case.</summary>
    internal static bool SameValue(string a, string b) =>
        string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
        || (double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
            && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out double y) && x == y);

    public override string ToString() => Column is null ? $"{Option} {Text}" : $"{Option} {Text} ({ColumnOption} {Column})";
}
