namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// When <see cref="InterfaceMotionDetector"/> reports a moving interface: its speed passes <see cref="Speed"/> for
/// <see cref="Consecutive"/> frames, or its position comes within the margin of a bound of <see cref="Bounds"/> (the
/// front has crossed the box, or met its periodic image). Either rule can be turned off with null.
/// </summary>
public sealed record InterfaceMotionOptions
{
    /// <summary>
    /// |interface velocity| that counts as a moving front, in the file's length per time unit (Å/ps for GROMACS, σ/τ
    /// for LJ). 1.0: a solid–solid transformation front sweeps a box in a few hundred femtoseconds (urea I → IV,
    /// Kuroshima et al. 2024), several Å/ps, while growth from the melt runs at 0.01–0.1 Å/ps (1–10 m/s) and
    /// Lennard-Jones growth at moderate undercooling at ~0.1 σ/τ; so the default reports transformations, not
    /// ordinary growth. Set it lower to follow growth fronts.
    /// </summary>
    public double? Speed { get; init; } = 1.0;

    /// <summary>Frames in a row for either rule. 3: the velocity is the derivative of a per-frame tanh fit and is noisy.</summary>
    public int Consecutive { get; init; } = 3;

    /// <summary>After a speed event, |velocity| must fall below this fraction of <see cref="Speed"/> first. 0.5.</summary>
    public double RearmFraction { get; init; } = 0.5;

    /// <summary>
    /// Lowest and highest interface position along the axis, usually 0 and the box length; null (the default: the
    /// box is not known here) turns the boundary rule off.
    /// </summary>
    public (double Lower, double Upper)? Bounds { get; init; }

    /// <summary>
    /// How near a bound, as a fraction of <c>Upper − Lower</c>, counts as reaching it; the position must come back
    /// twice as far in before it can fire again. 0.05: a few layers of a box tens of layers long.
    /// </summary>
    public double MarginFraction { get; init; } = 0.05;

    public void Validate()
    {
        if (Speed is { } speed) OptionChecks.Positive(speed, "speed");
        OptionChecks.AtLeastOne(Consecutive, "consecutive");
        OptionChecks.Fraction(RearmFraction, "rearm_fraction");
        if (Bounds is { } b && !(double.IsFinite(b.Lower) && double.IsFinite(b.Upper) && b.Lower < b.Upper))
            throw new ArgumentException($"bounds must be two finite numbers, lower below upper, got [{OptionChecks.Show(b.Lower)}, {OptionChecks.Show(b.Upper)}]");
        if (!(MarginFraction > 0 && MarginFraction < 0.25))
            throw new ArgumentException($"margin_fraction must be above 0 and below 0.25 (the re-arm band is twice the margin from each bound), got {OptionChecks.Show(MarginFraction)}");
    }
}
