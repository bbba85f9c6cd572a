using System.Globalization;

namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// The checks detector options share, with messages that name the field as a rules file spells it, so the same
/// message serves a C# caller and a user editing JSON.
/// </summary>
internal static class OptionChecks
{
    public static void AtLeastOne(int value, string field)
    {
        if (value < 1) throw new ArgumentException($"{field} must be at least 1, got {value}");
    }

    public static void Positive(double value, string field)
    {
        if (!(value > 0 && double.IsFinite(value))) throw new ArgumentException($"{field} must be a positive number, got {Show(value)}");
    }

    /// <summary>Strictly between 0 and 1.</summary>
    public static void Fraction(double value, string field)
    {
        if (!(value > 0 && value < 1)) throw new ArgumentException($"{field} must be between 0 and 1 (exclusive), got {Show(value)}");
    }

    /// <summary>From 0 to 1 inclusive: a crystalline fraction.</summary>
    public static void UnitInterval(double value, string field)
    {
        if (!(value >= 0 && value <= 1)) throw new ArgumentException($"{field} must be between 0 and 1, got {Show(value)}");
    }

    public static void Positive(TimeSpan value, string field)
    {
        if (value <= TimeSpan.Zero) throw new ArgumentException($"{field} must be positive, got {Show(value.TotalSeconds)} s");
    }

    public static string Show(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
