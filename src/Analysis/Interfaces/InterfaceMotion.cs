namespace StreamMonitor.Analysis.Interfaces;

/// <summary>
/// Where the interfaces are at one time and how fast they move, from <see cref="InterfaceTracker.Add"/>. Velocities are
/// in length per unit of the times given to the tracker; NaN until the window holds two fitted frames, and for a frame
/// without a fitted interface.
/// </summary>
/// <param name="Time">The frame's time.</param>
/// <param name="Fit">The frame's fit.</param>
/// <param name="Unwrapped1">Position1 followed continuously across the periodic boundary since the first frame.</param>
/// <param name="Unwrapped2">Position2 likewise (NaN for a single interface).</param>
/// <param name="Velocity1">d(Position1)/dt along the axis.</param>
/// <param name="Velocity2">d(Position2)/dt along the axis.</param>
/// <param name="GrowthVelocity">
/// Speed at which the solid advances into the liquid, positive for growth and negative for melting: for a periodic slab
/// the mean outward speed of its two faces, (v2 − v1)/2; for a single interface −v1 when the solid is above it, else v1.
/// </param>
public sealed record InterfaceMotion(double Time, InterfaceFitResult Fit, double Unwrapped1, double Unwrapped2,
    double Velocity1, double Velocity2, double GrowthVelocity);
