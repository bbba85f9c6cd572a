namespace StreamMonitor.Analysis.Interfaces;

/// <summary>
/// The interfaces of one profile, from <see cref="InterfaceFit"/>. Positions are in the profile's coordinate (wrapped into
/// [Start, Start + Length) for a periodic slab); the width is the tanh width w (the 10–90 % width is 2.197 w).
/// Values that do not apply are NaN: everything but the plateaus when there is no interface, Position2 for a single one.
/// </summary>
public sealed record InterfaceFitResult
{
    public required InterfaceFitStatus Status { get; init; }

    public required InterfaceGeometry Geometry { get; init; }

    /// <summary>Why there is no interface or the fit failed; null when fitted.</summary>
    public string? Message { get; init; }

    /// <summary>Start of the profile's period (its first slab's lower edge).</summary>
    public double Start { get; init; }

    /// <summary>The profile's period (box width along the axis); positions wrap with it.</summary>
    public double Length { get; init; }

    /// <summary>
    /// Periodic slab: the lower interface, where the solid begins going up the axis. Single: the interface x0.
    /// </summary>
    public double Position1 { get; init; } = double.NaN;

    /// <summary>Periodic slab: the upper interface, where the solid ends (may be below Position1 when the slab crosses the boundary).</summary>
    public double Position2 { get; init; } = double.NaN;

    /// <summary>tanh width w.</summary>
    public double Width { get; init; } = double.NaN;

    /// <summary>Plateau of the liquid side (the lower fraction).</summary>
    public double Low { get; init; } = double.NaN;

    /// <summary>Plateau of the solid side (the higher fraction).</summary>
    public double High { get; init; } = double.NaN;

    /// <summary>Periodic slab: thickness of the solid slab, x2 − x1. Single: NaN.</summary>
    public double SolidThickness { get; init; } = double.NaN;

    /// <summary>Single: true when the solid lies above the interface (larger coordinate). Periodic slab: always true (solid from Position1 up to Position2).</summary>
    public bool SolidAbove { get; init; } = true;

    /// <summary>Standard errors of the positions and the width from the fit's covariance (NaN when unavailable).</summary>
    public double Position1Error { get; init; } = double.NaN;

    public double Position2Error { get; init; } = double.NaN;

    public double WidthError { get; init; } = double.NaN;

    /// <summary>Coefficient of determination of the weighted fit (1 is perfect).</summary>
    public double RSquared { get; init; } = double.NaN;

    /// <summary>Weighted root-mean-square residual of the fraction.</summary>
    public double Rmse { get; init; } = double.NaN;

    /// <summary>Levenberg–Marquardt iterations of the best start.</summary>
    public int Iterations { get; init; }

    public bool Found => Status == InterfaceFitStatus.Fitted;
}
