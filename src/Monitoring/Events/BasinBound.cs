namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// One quantity's range in a <see cref="Basin"/>: open at both ends, as PLUMED <c>COMMITTOR</c> boxes are; a null
/// end is unbounded. A value on a bound is outside, and so is a missing or NaN value (no evidence of being inside).
/// </summary>
public readonly record struct BasinBound(double? Lower, double? Upper)
{
    public bool Contains(double? value) =>
        value is { } v && !double.IsNaN(v) && (Lower is not { } lo || v > lo) && (Upper is not { } hi || v < hi);

    public void Validate()
    {
        if (Lower is null && Upper is null) throw new ArgumentException("has neither a lower nor an upper bound");
        if (Lower is { } lo && !double.IsFinite(lo)) throw new ArgumentException($"lower bound must be a finite number, got {OptionChecks.Show(lo)}");
        if (Upper is { } hi && !double.IsFinite(hi)) throw new ArgumentException($"upper bound must be a finite number, got {OptionChecks.Show(hi)}");
        if (Lower is { } l && Upper is { } u && !(l < u))
            throw new ArgumentException($"lower bound {OptionChecks.Show(l)} must be below upper bound {OptionChecks.Show(u)}, or nothing is inside");
    }
}
