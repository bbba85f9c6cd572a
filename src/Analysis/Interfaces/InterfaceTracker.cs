namespace StreamMonitor.Analysis.Interfaces;

/// <summary>
/// Follows the interfaces of one run frame by frame and gives their velocities: the slope of a least-squares line through
/// the positions of the last <see cref="Window"/> fitted frames (with a window of 2, the finite difference of the last
/// two). Positions of a periodic slab are unwrapped first — each new position is taken as the periodic image nearest to
/// the previous one — so an interface that crosses the box boundary keeps moving smoothly instead of jumping by a period
/// (this assumes it moves less than half a period between frames). One tracker per run: it holds that run's history.
/// </summary>
public sealed class InterfaceTracker
{
    /// <summary>
    /// Relative change of the box length along the axis that starts the history over. A barostat moves the box by well
    /// under 1 % between frames, which must not cost the velocity; a different system (a replaced file) changes it more.
    /// </summary>
    public const double LengthTolerance = 0.05;

    private readonly double[] _time;
    private readonly double[] _p1;
    private readonly double[] _p2;
    private int _count; // samples in the window
    private int _next;  // ring position of the next sample
    private InterfaceFitResult? _last;
    private double _lastUnwrapped1, _lastUnwrapped2;

    /// <param name="window">Fitted frames in the velocity fit (at least 2).</param>
    public InterfaceTracker(int window = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        Window = window;
        _time = new double[window];
        _p1 = new double[window];
        _p2 = new double[window];
    }

    public int Window { get; }

    /// <summary>
    /// Adds a frame's fit at <paramref name="time"/> (the frame's time, or its step times the timestep). A frame without a
    /// fitted interface gets NaN velocities and does not enter the window. A time that does not increase (a restarted
    /// file), a change of geometry or a change of period beyond <see cref="LengthTolerance"/> starts the history over.
    /// </summary>
    public InterfaceMotion Add(double time, InterfaceFitResult fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (!double.IsFinite(time)) throw new ArgumentOutOfRangeException(nameof(time), time, "must be finite");
        if (!fit.Found) return new InterfaceMotion(time, fit, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

        if (_last is { } last && (last.Geometry != fit.Geometry || !SameLength(last.Length, fit.Length) || !(time > Newest())))
            Reset();
        bool periodic = fit.Geometry == InterfaceGeometry.PeriodicSlab;
        double u1 = fit.Position1, u2 = fit.Position2;
        if (_last is { } previous && periodic)
        {
            u1 = _lastUnwrapped1 + NearestImage(fit.Position1 - previous.Position1, fit.Length);
            u2 = _lastUnwrapped2 + NearestImage(fit.Position2 - previous.Position2, fit.Length);
        }
        else if (periodic && u2 < u1)
        {
            u2 += fit.Length; // a slab across the boundary: keep the upper face above the lower one
        }
        _last = fit;
        (_lastUnwrapped1, _lastUnwrapped2) = (u1, u2);
        _time[_next] = time;
        _p1[_next] = u1;
        _p2[_next] = u2;
        _next = (_next + 1) % Window;
        _count = Math.Min(_count + 1, Window);

        double v1 = Slope(_p1), v2 = periodic ? Slope(_p2) : double.NaN;
        double growth = periodic ? 0.5 * (v2 - v1) : fit.SolidAbove ? -v1 : v1;
        return new InterfaceMotion(time, fit, u1, u2, v1, v2, growth);
    }

    /// <summary>Forgets the history.</summary>
    public void Reset()
    {
        _count = 0;
        _next = 0;
        _last = null;
    }

    private double Newest() => _time[(_next - 1 + Window) % Window];

    private static bool SameLength(double a, double b) => a == b || Math.Abs(a - b) <= LengthTolerance * Math.Max(Math.Abs(a), Math.Abs(b));

    private static double NearestImage(double d, double l) => d - l * Math.Round(d / l);

    /// <summary>Least-squares slope of the window's positions against time; NaN with fewer than two samples.</summary>
    private double Slope(double[] position)
    {
        if (_count < 2) return double.NaN;
        double st = 0, sp = 0;
        for (int k = 0; k < _count; k++)
        {
            st += _time[k];
            sp += position[k];
        }
        double mt = st / _count, mp = sp / _count, stt = 0, stp = 0;
        for (int k = 0; k < _count; k++)
        {
            double dt = _time[k] - mt;
            stt += dt * dt;
            stp += dt * (position[k] - mp);
        }
        return stp / stt;
    }
}
