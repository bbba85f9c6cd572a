namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// A preset's atom roles in the terms a standard dump carries: the center atom and the ends of each orientation vector
/// as elements (with an ordinal where a molecule has several atoms of the element), and the molecule's composition, which
/// every molecule must match when roles are read from elements. Immutable.
/// </summary>
/// <remarks>
/// Ordinals count atoms by increasing atom id within the molecule, which is how the reference program's own files order
/// urea's nitrogens (N1 has the lower atom id in every molecule of its dumps), so features from elements equal
/// features from <c>sym_type</c> on the same configuration.
/// </remarks>
public sealed class ElementRoles
{
    public ElementRoles(string molecule, ElementRole center, IReadOnlyList<(ElementRole From, ElementRole To)> vectors,
        IReadOnlyList<(string Symbol, int Count)> composition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(molecule);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(composition);
        Molecule = molecule;
        Center = center;
        Vectors = vectors.ToArray();
        Composition = composition.ToArray();
        foreach (var (symbol, count) in Composition)
        {
            if (!ChemicalElements.IsSymbol(symbol)) throw new ArgumentException($"{molecule}: '{symbol}' is not an element symbol");
            if (count < 1) throw new ArgumentException($"{molecule}: {symbol} {count} is not a count of atoms");
        }
        foreach (var role in Roles)
            if (role.Ordinal < 1 || role.Ordinal > CountOf(role.Symbol))
                throw new ArgumentException($"{molecule}: role {role.Name} is {role.Symbol} number {role.Ordinal}, but the molecule has {CountOf(role.Symbol)} {role.Symbol}");
    }

    /// <summary>The molecule's name, for messages ("urea").</summary>
    public string Molecule { get; }

    public ElementRole Center { get; }

    public IReadOnlyList<(ElementRole From, ElementRole To)> Vectors { get; }

    /// <summary>Atoms per element in one molecule, in the order messages list them.</summary>
    public IReadOnlyList<(string Symbol, int Count)> Composition { get; }

    /// <summary>The center and the vector ends, each once, center first.</summary>
    public IReadOnlyList<ElementRole> Roles => new[] { Center }.Concat(Vectors.SelectMany(v => new[] { v.From, v.To })).Distinct().ToArray();

    /// <summary>The elements the roles are made of (those a dump must let us tell apart), in composition order.</summary>
    public IReadOnlyList<string> RoleSymbols => Composition.Select(c => c.Symbol).Where(s => Roles.Any(r => r.Symbol == s)).ToArray();

    public int CountOf(string symbol) => Composition.FirstOrDefault(c => c.Symbol == symbol).Count;

    /// <summary>"C 1, O 1, N 2, H 4 (8 atoms)".</summary>
    public string DescribeComposition() =>
        $"{string.Join(", ", Composition.Select(c => $"{c.Symbol} {c.Count}"))} ({Composition.Sum(c => c.Count)} atoms)";
}
