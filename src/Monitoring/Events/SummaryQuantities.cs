
namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// The quantities of a <see cref="FrameSummary"/> by name, for rules written as data (basins, like PLUMED
/// <c>COMMITTOR</c> boxes in collective-variable space). The names are the snake_case keys of the frame lines
/// <c>watch --json</c> prints, plus <c>class:NAME</c> (rows in a class) and <c>fraction:NAME</c> (that count over
/// <see cref="FrameSummary.Count"/>).
/// </summary>
public static class SummaryQuantities
{
    public const string NMax = "n_max";
    public const string Count = "count";
    public const string Crystalline = "crystalline";
    public const string CrystallineFraction = "crystalline_fraction";
    public const string Undefined = "undefined";
    public const string MeanQ6 = "mean_q6";
    public const string Surface = "surface";
    public const string Core = "core";
    public const string LargestRg = "largest_rg";
    public const string InterfacePosition = "interface_position";
    public const string InterfaceVelocity = "interface_velocity";
    public const string ClassPrefix = "class:";
    public const string FractionPrefix = "fraction:";

    /// <summary>The plain names (the per-class forms are <c>class:NAME</c> and <c>fraction:NAME</c>).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        NMax, Count, Crystalline, CrystallineFraction, Undefined, MeanQ6, Surface, Core, LargestRg,
        InterfacePosition, InterfaceVelocity,
    ];

    /// <summary>Every accepted form, for error messages and help text.</summary>
    public static string Known => $"{string.Join(", ", Names)}, {ClassPrefix}NAME, {FractionPrefix}NAME";

    /// <summary>True for a plain name or a per-class form with a class name after the colon.</summary>
    public static bool IsKnown(string name) =>
        Names.Contains(name) || ClassName(name, ClassPrefix) is not null || ClassName(name, FractionPrefix) is not null;

    /// <summary>Throws the error <see cref="Get"/> would give for an unknown name, without a summary at hand (for checking rules early).</summary>
    public static void Validate(string name)
    {
        if (!IsKnown(name)) throw Unknown(name);
    }

    /// <summary>
    /// The value of <paramref name="name"/> in <paramref name="summary"/>; null where the summary does not carry it
    /// (mean q6, surface/core and interface measures are computed only for some models and options). An unknown name,
    /// or a class the run's model does not have, is an <see cref="ArgumentException"/>: a misspelt class would
    /// otherwise read as an empty class, silently.
    /// </summary>
    public static double? Get(FrameSummary summary, string name)
    {
        switch (name)
        {
            case NMax: return summary.NMax;
            case Count: return summary.Count;
            case Crystalline: return summary.Crystalline;
            case CrystallineFraction: return summary.CrystallineFraction;
            case Undefined: return summary.Undefined;
            case MeanQ6: return summary.MeanQ6;
            case Surface: return summary.Surface;
            case Core: return summary.Core;
            case LargestRg: return summary.LargestRg;
            case InterfacePosition: return summary.InterfacePosition;
            case InterfaceVelocity: return summary.InterfaceVelocity;
        }
        if (ClassName(name, ClassPrefix) is { } counted) return ClassCount(summary, counted);
        if (ClassName(name, FractionPrefix) is { } fraction)
            return summary.Count == 0 ? 0 : (double)ClassCount(summary, fraction) / summary.Count;
        throw Unknown(name);
    }

    private static int ClassCount(FrameSummary summary, string className) =>
        summary.ClassCounts.TryGetValue(className, out int count)
            ? count
            : throw new ArgumentException($"class '{className}' is not one of run {summary.RunId}'s classes ({string.Join(", ", summary.ClassCounts.Keys)})");

    private static string? ClassName(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length ? name[prefix.Length..] : null;

    private static ArgumentException Unknown(string name) => new($"unknown quantity '{name}' (known: {Known})");
}
