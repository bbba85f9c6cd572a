namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// Distances below which two atoms count as bonded, for files without molecule ids: one cutoff for every pair of atom
/// types, optionally overridden per pair of types (by <see cref="StreamMonitor.Core.Frame.Types"/>), e.g. a short
/// cutoff for H–H so that hydrogen bonds between molecules do not merge them. Immutable.
/// </summary>
public sealed class BondCutoffs
{
    private readonly Dictionary<(int, int), double> _pairs;

    public BondCutoffs(double cutoff) : this(cutoff, new Dictionary<(int, int), double>())
    {
    }

    private BondCutoffs(double cutoff, Dictionary<(int, int), double> pairs)
    {
        if (!(cutoff > 0) || !double.IsFinite(cutoff))
            throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "a bond cutoff must be positive and finite");
        Default = cutoff;
        _pairs = pairs;
        Max = pairs.Count == 0 ? cutoff : Math.Max(cutoff, pairs.Values.Max());
    }

    /// <summary>The cutoff of every type pair without its own.</summary>
    public double Default { get; }

    /// <summary>The longest cutoff: the radius a neighbour search needs.</summary>
    public double Max { get; }

    /// <summary>A copy with its own cutoff for the pair of types (either order).</summary>
    public BondCutoffs WithPair(int typeA, int typeB, double cutoff)
    {
        if (!(cutoff > 0) || !double.IsFinite(cutoff))
            throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "a bond cutoff must be positive and finite");
        var pairs = new Dictionary<(int, int), double>(_pairs) { [Key(typeA, typeB)] = cutoff };
        return new BondCutoffs(Default, pairs);
    }

    public double For(int typeA, int typeB) =>
        _pairs.Count > 0 && _pairs.TryGetValue(Key(typeA, typeB), out double c) ? c : Default;

    private static (int, int) Key(int a, int b) => a <= b ? (a, b) : (b, a);
}
