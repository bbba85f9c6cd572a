using System.Globalization;

namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// The elements of organic molecular crystals and their usual counter-ions: symbol, atomic number and standard atomic
/// mass, to read which element an atom is from an <c>element</c> column (names or atomic numbers) or a <c>mass</c>
/// column.
/// </summary>
internal static class ChemicalElements
{
    /// <summary>
    /// How far a mass may be from an element's standard mass (u). Force fields round masses (GAFF: C 12.01, N 14.01,
    /// O 16.00), and no two elements listed here are closer than 1 u, so this tells them apart; deuterium (2.014) is
    /// not hydrogen by mass and is refused rather than guessed.
    /// </summary>
    public const double MassTolerance = 0.1;

    private static readonly (string Symbol, int Number, double Mass)[] Table =
    [
        ("H", 1, 1.008), ("Li", 3, 6.94), ("B", 5, 10.81), ("C", 6, 12.011), ("N", 7, 14.007), ("O", 8, 15.999),
        ("F", 9, 18.998), ("Na", 11, 22.990), ("Mg", 12, 24.305), ("Si", 14, 28.085), ("P", 15, 30.974),
        ("S", 16, 32.06), ("Cl", 17, 35.45), ("K", 19, 39.098), ("Ca", 20, 40.078), ("Br", 35, 79.904), ("I", 53, 126.904),
    ];

    /// <summary>The element named by <paramref name="text"/> (a symbol in any case, e.g. "c" or "CL"), or null.</summary>
    public static string? BySymbol(string text)
    {
        foreach (var e in Table)
            if (string.Equals(e.Symbol, text.Trim(), StringComparison.OrdinalIgnoreCase)) return e.Symbol;
        return null;
    }

    /// <summary>The element whose atomic number <paramref name="text"/> is (e.g. "6" → C), or null.</summary>
    public static string? ByNumber(string text)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int number)) return null;
        foreach (var e in Table)
            if (e.Number == number) return e.Symbol;
        return null;
    }

    /// <summary>The element whose standard mass is within <see cref="MassTolerance"/> of <paramref name="mass"/>, or null.</summary>
    public static string? ByMass(double mass)
    {
        foreach (var e in Table)
            if (Math.Abs(e.Mass - mass) <= MassTolerance) return e.Symbol;
        return null;
    }

    /// <summary>True when <paramref name="symbol"/> is listed here (exact case).</summary>
    public static bool IsSymbol(string symbol) => Table.Any(e => e.Symbol == symbol);
}
