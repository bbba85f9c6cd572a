namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// When <see cref="MeltingDetector"/> calls a loss of crystal a melting: the crystalline fraction falls below
/// <see cref="Below"/>, or below <c>(1 − Drop)</c> times its running maximum, for <see cref="Consecutive"/> frames.
/// The relative rule is the one that matters for a crystal that never filled the box (a seed slab at 30 %, a
/// nanocluster in its melt); the absolute one for "the crystal is gone".
/// </summary>
public sealed record MeltingOptions
{
    /// <summary>Absolute floor of the crystalline fraction; null turns the absolute rule off. 0.05: next to no crystal left.</summary>
    public double? Below { get; init; } = 0.05;

    /// <summary>
    /// Relative loss from the running maximum that counts as melting; null turns the relative rule off. 0.3: a
    /// classifier's frame-to-frame noise on a crystal of a few hundred rows or more is a few per cent, and thermal
    /// disordering of a crystal's surface costs ~10 %; losing 30 % of the crystal is a phase change under way.
    /// </summary>
    public double? Drop { get; init; } = 0.3;

    /// <summary>
    /// The crystalline fraction the run must reach before melting can fire at all. 0.1: a run that starts liquid has
    /// nothing to melt, and the comings and goings of sub-critical clusters must not read as melting.
    /// </summary>
    public double ArmAbove { get; init; } = 0.1;

    /// <summary>
    /// After firing, the fraction must climb this far (absolute) above the level that fired, and above
    /// <see cref="ArmAbove"/>, before melting can fire again. 0.05: twice the noise on a few hundred rows.
    /// </summary>
    public double RearmBand { get; init; } = 0.05;

    /// <summary>Frames in a row below the level. 3, as for nucleation: one bad frame is not a melt.</summary>
    public int Consecutive { get; init; } = 3;

    /// <summary>
    /// Surface melting is told from core melting by how much of its crystal each has lost since the peak: "surface"
    /// when the surface's relative loss is at least this many times the core's. 2: the surface melting first, as
    /// the nicotinamide nanocluster does at 350 K (Kuroshima et al. 2024), loses its outer crystal while the core is
    /// still mostly intact.
    /// </summary>
    public double SurfaceDominance { get; init; } = 2.0;

    public void Validate()
    {
        if (Below is null && Drop is null) throw new ArgumentException("below and drop are both off: set at least one");
        if (Below is { } below) OptionChecks.UnitInterval(below, "below");
        if (Drop is { } drop) OptionChecks.Fraction(drop, "drop");
        OptionChecks.UnitInterval(ArmAbove, "arm_above");
        if (Below is { } floor && ArmAbove <= floor)
            throw new ArgumentException($"arm_above ({OptionChecks.Show(ArmAbove)}) must be above below ({OptionChecks.Show(floor)}), or melting could fire as soon as it arms");
        OptionChecks.Positive(RearmBand, "rearm_band");
        OptionChecks.AtLeastOne(Consecutive, "consecutive");
        OptionChecks.Positive(SurfaceDominance, "surface_dominance");
    }
}
