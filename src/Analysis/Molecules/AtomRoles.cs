using System.Globalization;
using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// Which atoms of a molecule make its point-vector representation: the center atom (the molecule's point) and the two
/// ends of each orientation vector, picked by the value of one per-atom column. Urea uses the <c>sym_type</c> column
/// (center = C = 1, v1 = C → O = 1 → 2, v2 = N1 → N2 = 3 → 4); nicotinamide dumps without <c>sym_type</c> use
/// <c>element</c> (center = ring C6 = 10, v1 = C6 → C3 = 10 → 9, v2 = O → N = 3 → 6).
/// </summary>
/// <remarks>
/// Values are compared as text for text (label) columns and as numbers otherwise, so "10" matches a numeric column
/// holding 10.0 and a label column holding "10" alike. Within a molecule, a role with several candidate atoms takes the
/// one with the lowest atom id (as the reference program does), except the center, which must be unique.
/// </remarks>
public sealed class AtomRoles
{
    /// <summary>The pseudo-column name that selects <see cref="Frame.Types"/>.</summary>
    public const string TypeColumn = "type";

    public AtomRoles(string column, string center, IReadOnlyList<RoleVector> vectors, string? source = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        ArgumentException.ThrowIfNullOrWhiteSpace(center);
        ArgumentNullException.ThrowIfNull(vectors);
        foreach (var v in vectors)
        {
            if (string.IsNullOrWhiteSpace(v.From) || string.IsNullOrWhiteSpace(v.To))
                throw new ArgumentException("an orientation vector needs both end values", nameof(vectors));
            if (SameValue(v.From, v.To))
                throw new ArgumentException($"orientation vector {v.From} → {v.To} starts and ends on the same role", nameof(vectors));
        }
        Column = column;
        Center = center;
        Vectors = vectors.ToArray();
        Source = source ?? "the atom roles";
        // Distinct role values: per atom we only need which of them it carries (at most one, the values being distinct).
        var values = new List<string> { center };
        foreach (var v in Vectors)
        {
            if (!values.Any(x => SameValue(x, v.From))) values.Add(v.From);
            if (!values.Any(x => SameValue(x, v.To))) values.Add(v.To);
        }
        Values = values.ToArray();
    }

    /// <summary>The per-atom column that names roles: <c>sym_type</c>, <c>element</c>, <c>type</c>, or any extra column.</summary>
    public string Column { get; }

    /// <summary>Column value of the center atom.</summary>
    public string Center { get; }

    public IReadOnlyList<RoleVector> Vectors { get; }

    /// <summary>Where the roles come from (e.g. "preset 'urea'"), for error messages.</summary>
    public string Source { get; }

    /// <summary>The distinct role values; index 0 is the center.</summary>
    internal IReadOnlyList<string> Values { get; }

    internal int ValueIndex(string value)
    {
        for (int k = 0; k < Values.Count; k++)
            if (SameValue(Values[k], value)) return k;
        throw new InvalidOperationException($"'{value}' is not a role value");
    }

    /// <summary>
    /// For every atom of the frame, the index into <see cref="Values"/> of its role value, or -1; throws when the frame
    /// lacks the column or a role value occurs on no atom, naming what is missing.
    /// </summary>
    internal int[] Resolve(Frame frame)
    {
        int n = frame.AtomCount;
        var codes = new int[n];
        var seen = new bool[Values.Count];
        if (Column == TypeColumn && frame.Column(TypeColumn) is null)
        {
            var numbers = NumericValues();
            var types = frame.Types;
            for (int i = 0; i < n; i++) codes[i] = seen.Mark(Match(numbers, types[i]));
        }
        else
        {
            var column = frame.Column(Column) ?? throw new ArgumentException(
                $"{Source} identifies atoms by the '{Column}' column, which the frame does not have (it has: {DescribeColumns(frame)})");
            var values = column.Values;
            if (column.Labels is { } labels)
            {
                // Label columns store an index into Labels: resolve each distinct label once.
                var byLabel = new int[labels.Count];
                for (int l = 0; l < labels.Count; l++)
                {
                    byLabel[l] = -1;
                    for (int k = 0; k < Values.Count && byLabel[l] < 0; k++)
                        if (SameValue(Values[k], labels[l])) byLabel[l] = k;
                }
                for (int i = 0; i < n; i++)
                {
                    int l = (int)values[i];
                    codes[i] = seen.Mark((uint)l < (uint)byLabel.Length ? byLabel[l] : -1);
                }
            }
            else
            {
                var numbers = NumericValues();
                for (int i = 0; i < n; i++) codes[i] = seen.Mark(Match(numbers, values[i]));
            }
        }
        for (int k = 0; k < Values.Count; k++)
            if (!seen[k])
                throw new ArgumentException(
                    $"{Source}: no atom of the frame has {Column} = {Values[k]} (the {RoleName(k)}); check the preset or the atom roles against the file");
        return codes;
    }

    /// <summary>What value <paramref name="k"/> is for, in words ("center atom", "start of v1", ...).</summary>
    internal string RoleName(int k)
    {
        var parts = new List<string>();
        if (k == 0) parts.Add("center atom");
        for (int v = 0; v < Vectors.Count; v++)
        {
            if (SameValue(Vectors[v].From, Values[k])) parts.Add($"start of v{v + 1}");
            if (SameValue(Vectors[v].To, Values[k])) parts.Add($"end of v{v + 1}");
        }
        return string.Join(", ", parts);
    }

    private double[] NumericValues()
    {
        var numbers = new double[Values.Count];
        for (int k = 0; k < Values.Count; k++)
            if (!double.TryParse(Values[k], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[k]))
                throw new ArgumentException($"{Source}: role value '{Values[k]}' is not a number, but column '{Column}' holds numbers");
        return numbers;
    }

    private static int Match(double[] numbers, double value)
    {
        for (int k = 0; k < numbers.Length; k++)
            if (numbers[k] == value) return k;
        return -1;
    }

    private static bool SameValue(string a, string b) =>
        string.Equals(a, b, StringComparison.Ordinal)
        || (double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
            && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out double y) && x == y);

    internal static string DescribeColumns(Frame frame)
    {
        var names = new List<string> { "id", "type" };
        if (frame.HasMolecules) names.Add("mol");
        names.AddRange(["x", "y", "z"]);
        names.AddRange(frame.Columns.Select(c => c.Name));
        return string.Join(", ", names);
    }
}

file static class SeenExtensions
{
    public static int Mark(this bool[] seen, int code)
    {
        if (code >= 0) seen[code] = true;
        return code;
    }
}
