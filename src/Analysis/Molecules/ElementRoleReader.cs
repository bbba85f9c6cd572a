using System.Globalization;
using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// Reads which element each atom of a frame is — from an <c>element</c> column of names or atomic numbers, a
/// <c>mass</c> column, or a user's <see cref="AtomRoleMapping"/> on <c>type</c>, <c>element</c> or another column — and
/// turns it into the <see cref="RoleAssignment"/> of a preset's <see cref="ElementRoles"/>.
/// </summary>
internal static class ElementRoleReader
{
    /// <summary>Roles from element names, else atomic numbers, in the frame's element column; null when it holds neither.</summary>
    public static RoleAssignment? ByElementColumn(Frame frame, ElementRoles elements, string source)
    {
        var symbols = elements.Composition.Select(c => c.Symbol).ToArray();
        foreach (var (read, how) in new (Func<string, string?>, string)[] { (ChemicalElements.BySymbol, "element names"), (ChemicalElements.ByNumber, "atomic numbers") })
        {
            var codes = Codes(frame, AtomRoles.ElementColumn, text => read(text) is { } s ? Array.IndexOf(symbols, s) : -1);
            if (codes is not null && HasAll(codes, elements, symbols))
                return FromElements(codes, elements, symbols, $"by {how} in the '{AtomRoles.ElementColumn}' column", source);
        }
        return null;
    }

    /// <summary>Roles from the frame's mass column (the nearest element); null when it has none or it does not fit.</summary>
    public static RoleAssignment? ByMass(Frame frame, ElementRoles elements, string source)
    {
        var symbols = elements.Composition.Select(c => c.Symbol).ToArray();
        var codes = Codes(frame, AtomRoles.MassColumn, text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double m) && ChemicalElements.ByMass(m) is { } s
                ? Array.IndexOf(symbols, s)
                : -1);
        return codes is not null && HasAll(codes, elements, symbols)
            ? FromElements(codes, elements, symbols, $"by mass in the '{AtomRoles.MassColumn}' column", source)
            : null;
    }

    /// <summary>
    /// Roles from <paramref name="mapping"/>: on its column, or on <c>type</c> else <c>element</c>, refusing a choice
    /// the two columns would make differently; throws naming the option when a value occurs on no atom.
    /// </summary>
    public static RoleAssignment ByMapping(Frame frame, ElementRoles elements, AtomRoleMapping mapping, string source)
    {
        // Classes: the mapped elements in composition order; atoms of unmapped elements are "others", counted as a whole.
        var mapped = elements.Composition.Select(c => c.Symbol).Where(s => mapping.Pairs.Any(p => p.Symbol == s)).ToArray();
        int PairOf(string text)
        {
            for (int p = 0; p < mapping.Pairs.Count; p++)
                if (AtomRoleMapping.SameValue(mapping.Pairs[p].Value, text)) return p;
            return -1;
        }
        var candidates = mapping.Column is { } chosen ? [chosen] : new[] { AtomRoles.TypeColumn, AtomRoles.ElementColumn };
        var fits = new List<(string Column, int[] Codes)>();
        var misses = new List<string>();
        foreach (var column in candidates)
        {
            var codes = Codes(frame, column, PairOf);
            if (codes is null)
            {
                if (mapping.Column is not null)
                    throw new ArgumentException(
                        $"{mapping.ColumnOption} {column}: the frame has no such column (it has: {AtomRoles.DescribeColumns(frame)})");
                misses.Add($"it has no '{column}' column");
                continue;
            }
            var seen = new bool[mapping.Pairs.Count];
            foreach (int p in codes)
                if (p >= 0) seen[p] = true;
            int absent = Array.IndexOf(seen, false);
            if (absent < 0) fits.Add((column, codes));
            else
                misses.Add($"no atom has {column} {mapping.Pairs[absent].Value} ({column} values: {DistinctValues(frame, column)})");
        }
        if (fits.Count == 0)
            throw new ArgumentException($"{mapping.Option} {mapping.Text}: does not fit the frame: {string.Join("; ", misses)}");
        int[] ClassesOf(int[] pairs) => pairs.Select(p => p < 0 ? -1 : Array.IndexOf(mapped, mapping.Pairs[p].Symbol)).ToArray();
        var classes = ClassesOf(fits[0].Codes);
        if (fits.Count > 1 && !classes.SequenceEqual(ClassesOf(fits[1].Codes)))
            throw new ArgumentException(
                $"{mapping.Option} {mapping.Text} fits both the '{fits[0].Column}' and the '{fits[1].Column}' column, and they make different atoms {string.Join("/", mapped)}; choose one with {mapping.ColumnOption} {fits[0].Column} or {mapping.ColumnOption} {fits[1].Column}");
        string used = fits[0].Column;
        return FromElements(classes, elements, mapped, $"by {mapping} on the '{used}' column", source);
    }

    /// <summary>The assignment for atoms classed by <paramref name="classes"/> (indices into <paramref name="symbols"/>).</summary>
    private static RoleAssignment FromElements(int[] classes, ElementRoles elements, string[] symbols, string how, string source)
    {
        var roles = elements.Roles;
        int SlotOf(ElementRole role) => roles.ToList().IndexOf(role);
        var others = elements.Composition.Where(c => !symbols.Contains(c.Symbol)).ToArray();
        return new RoleAssignment(classes, symbols,
            roles.Select(r => (Array.IndexOf(symbols, r.Symbol), r.Ordinal)).ToArray(),
            roles.Select(r => r.ToString()).ToArray(),
            elements.Vectors.Select(v => SlotOf(v.From)).ToArray(),
            elements.Vectors.Select(v => SlotOf(v.To)).ToArray(),
            how, source)
        {
            Required = symbols.Select(elements.CountOf).ToArray(),
            RequiredOthers = others.Sum(c => c.Count),
            OtherSymbols = string.Join(", ", others.Select(c => c.Symbol)),
            Elements = symbols,
        };
    }

    /// <summary>True when every element the roles are made of occurs on some atom.</summary>
    private static bool HasAll(int[] codes, ElementRoles elements, string[] symbols)
    {
        var seen = new bool[symbols.Length];
        foreach (int c in codes)
            if (c >= 0) seen[c] = true;
        return elements.RoleSymbols.All(s => seen[Array.IndexOf(symbols, s)]);
    }

    /// <summary>
    /// Per atom, <paramref name="code"/> of its value in <paramref name="column"/> (<c>type</c> or a frame column) as
    /// text; each distinct value is looked up once. Null when the frame has no such column.
    /// </summary>
    private static int[]? Codes(Frame frame, string column, Func<string, int> code)
    {
        int n = frame.AtomCount;
        var codes = new int[n];
        var known = new Dictionary<double, int>();
        if (column == AtomRoles.TypeColumn && frame.Column(column) is null)
        {
            // Types numbered from type names (a dump with element names but no type column) are not what a user maps.
            if (frame.TypeNames is not null) return null;
            var types = frame.Types;
            for (int i = 0; i < n; i++)
                codes[i] = Cached(known, types[i], code);
            return codes;
        }
        if (frame.Column(column) is not { } values) return null;
        var v = values.Values;
        if (values.Labels is { } labels)
        {
            var byLabel = labels.Select(code).ToArray();
            for (int i = 0; i < n; i++)
            {
                int l = (int)v[i];
                codes[i] = (uint)l < (uint)byLabel.Length ? byLabel[l] : -1;
            }
            return codes;
        }
        for (int i = 0; i < n; i++) codes[i] = Cached(known, v[i], code);
        return codes;
    }

    private static int Cached(Dictionary<double, int> known, double value, Func<string, int> code)
    {
        if (!known.TryGetValue(value, out int c)) known[value] = c = code(value.ToString("R", CultureInfo.InvariantCulture));
        return c;
    }

    /// <summary>"1, 2, 3, 4" — the distinct values of a column, at most a dozen, for messages.</summary>
    private static string DistinctValues(Frame frame, string column)
    {
        var texts = new SortedSet<string>(StringComparer.Ordinal);
        Codes(frame, column, t => { texts.Add(t); return 0; });
        var list = texts.OrderBy(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : double.MaxValue).ThenBy(t => t).ToArray();
        return list.Length <= 12 ? string.Join(", ", list) : string.Join(", ", list.Take(12)) + ", ...";
    }
}
