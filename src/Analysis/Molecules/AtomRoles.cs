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
/// <para>
/// Values are compared as text for text (label) columns and as numbers otherwise, so "10" matches a numeric column
/// holding 10.0 and a label column holding "10" alike. Within a molecule, a role with several candidate atoms takes the
/// one with the lowest atom id (as the reference program does), except the center, which must be unique.
/// </para>
/// <para>
/// A preset also knows its roles as elements (<see cref="Elements"/>), so standard dumps work too. Per frame the roles
/// are read, in this order: from an atom-role mapping when one is given (<see cref="WithMapping"/>); from the role
/// column when the frame has it and it holds the role values; from element names or atomic numbers in an
/// <c>element</c> column; from a <c>mass</c> column. Roles read from elements are checked against the molecule's
/// composition, molecule by molecule.
/// </para>
/// </remarks>
public sealed class AtomRoles
{
    /// <summary>The pseudo-column name that selects <see cref="Frame.Types"/>.</summary>
    public const string TypeColumn = "type";

    public const string ElementColumn = "element";

    public const string MassColumn = "mass";

    public AtomRoles(string column, string center, IReadOnlyList<RoleVector> vectors, string? source = null, ElementRoles? elements = null)
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
        if (elements is not null && elements.Vectors.Count != vectors.Count)
            throw new ArgumentException($"the element roles of {elements.Molecule} have {elements.Vectors.Count} vectors, the role values {vectors.Count}", nameof(elements));
        Column = column;
        Center = center;
        Vectors = vectors.ToArray();
        Source = source ?? "the atom roles";
        Elements = elements;
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

    /// <summary>The same roles as elements, for dumps without the role column; null when only the column names them.</summary>
    public ElementRoles? Elements { get; }

    /// <summary>The user's mapping from column values to elements; when set, it decides the roles of every frame.</summary>
    public AtomRoleMapping? Mapping { get; private init; }

    /// <summary>The distinct role values; index 0 is the center.</summary>
    internal IReadOnlyList<string> Values { get; }

    /// <summary>
    /// These roles read through <paramref name="mapping"/> (null: read from what each frame carries); throws naming the
    /// mapping's option when it maps an element the molecule lacks or leaves out one the roles need.
    /// </summary>
    public AtomRoles WithMapping(AtomRoleMapping? mapping)
    {
        if (mapping is not null)
        {
            var elements = Elements ?? throw new ArgumentException(
                $"{mapping.Option}: {Source} names atoms by its '{Column}' values, not by elements, so it takes no atom-role mapping (the presets {string.Join(", ", MolecularSymmetryFunctionPresets.Names)} do)");
            var known = elements.Composition.Select(c => c.Symbol).ToArray();
            foreach (var (symbol, value) in mapping.Pairs)
                if (!known.Contains(symbol))
                    throw new ArgumentException($"{mapping.Option}: {symbol}={value}: {elements.Molecule} has no {symbol} (it has {string.Join(", ", known)})");
            var missing = elements.RoleSymbols.Where(s => !mapping.Pairs.Any(p => p.Symbol == s)).ToArray();
            if (missing.Length > 0)
                throw new ArgumentException(
                    $"{mapping.Option}: {elements.Molecule} needs {string.Join(", ", elements.RoleSymbols)} mapped; {string.Join(", ", missing)} {(missing.Length == 1 ? "is" : "are")} not");
        }
        return new AtomRoles(Column, Center, Vectors, Source, Elements) { Mapping = mapping };
    }

    internal int ValueIndex(string value)
    {
        for (int k = 0; k < Values.Count; k++)
            if (SameValue(Values[k], value)) return k;
        throw new InvalidOperationException($"'{value}' is not a role value");
    }

    /// <summary>
    /// How the atoms of <paramref name="frame"/> take their roles (see the remarks for the order); throws naming what the
    /// frame lacks when none of the ways applies.
    /// </summary>
    internal RoleAssignment Assign(Frame frame)
    {
        if (Mapping is { } mapping) return ElementRoleReader.ByMapping(frame, Elements!, mapping, Source);
        if (Elements is null) return ByColumn(frame);
        ArgumentException? columnError = null;
        if (Column == TypeColumn || frame.Column(Column) is not null)
        {
            try
            {
                return ByColumn(frame);
            }
            catch (ArgumentException e)
            {
                columnError = e; // e.g. an element column of names where the preset expects force-field ids: try the names
            }
        }
        return ElementRoleReader.ByElementColumn(frame, Elements, Source)
               ?? ElementRoleReader.ByMass(frame, Elements, Source)
               ?? throw columnError ?? new ArgumentException(
                   $"{Source} identifies atoms by '{Column}', element names or atomic numbers in an 'element' column, or a 'mass' column; the frame has none of them (it has: {DescribeColumns(frame)}); map its atom types to elements with an atom-role mapping (--roles {string.Join(",", Elements.RoleSymbols.Select(s => $"{s}=<type>"))})");
    }

    /// <summary>Roles by the values of <see cref="Column"/>, each the first atom of its value in a molecule.</summary>
    private RoleAssignment ByColumn(Frame frame)
    {
        var codes = Resolve(frame);
        var names = Values.Select(v => $"{Column} = {v}").ToArray();
        var slots = Enumerable.Range(0, Values.Count).Select(k => (k, 1)).ToArray();
        return new RoleAssignment(codes, names, slots, names,
            Vectors.Select(v => ValueIndex(v.From)).ToArray(), Vectors.Select(v => ValueIndex(v.To)).ToArray(), $"by {Column}", Source)
        {
            CenterUnique = true,
            Elements = Values.Select(ElementOf).ToArray(),
        };
    }

    /// <summary>The element of role value <paramref name="value"/> by <see cref="Elements"/> (the role at the same place), or null.</summary>
    private string? ElementOf(string value)
    {
        if (Elements is null) return null;
        if (SameValue(value, Center)) return Elements.Center.Symbol;
        for (int v = 0; v < Vectors.Count; v++)
        {
            if (SameValue(value, Vectors[v].From)) return Elements.Vectors[v].From.Symbol;
            if (SameValue(value, Vectors[v].To)) return Elements.Vectors[v].To.Symbol;
        }
        return null;
    }

    /// <summary>
    /// For every atom of the frame, the index into <see cref="Values"/> of its role value, or -1; throws when the frame
    /// lacks the column or a role value occurs on no atom, naming what is missing.
    /// </summary>
    private int[] Resolve(Frame frame)
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
