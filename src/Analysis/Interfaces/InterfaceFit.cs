using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace StreamMonitor.Analysis.Interfaces;

/// <summary>
/// Fits a solid-fraction profile with a tanh to place the solid–liquid interfaces (positions, width, plateaus), by
/// weighted Levenberg–Marquardt least squares (MathNet.Numerics) with an analytic Jacobian. Parameters in the
/// constructor, the profile per call (freud style); thread-safe, so one instance can serve many runs.
/// </summary>
/// <remarks>
/// <para>
/// Weights: each slab counts by its number of particles (the fit of the per-particle solid indicator, binned), so empty
/// slabs — common in a crystal whose lattice planes are thinner than a slab — drop out instead of reading as liquid.
/// </para>
/// <para>
/// Initial guesses, which decide whether a tanh fit lands in the right minimum: the profile is smoothed over three slabs;
/// its range gives the plateaus; a range below <c>minimumContrast</c> is "no interface" (all solid, all liquid, or noise).
/// Periodic slab: the longest circular run of slabs above the mid-level is the solid; the profile is shifted so that
/// the run's centre is in the middle of the period (the slab may have crossed the boundary), the run's edges are the
/// first interface positions, and the model sums the neighbouring images of the slab, so it stays exact when the solid
/// (or the liquid) is thin. Single: x0 is the slab boundary where a step between the plateaus fits best. Each fit starts
/// from a few widths (one slab, three slabs, a tenth of the period) and keeps the best.
/// </para>
/// </remarks>
public sealed class InterfaceFit
{
    private const double Tolerance = 1e-10;

    /// <param name="geometry">Two interfaces of a periodic slab (the default) or a single interface.</param>
    /// <param name="minimumContrast">
    /// Smallest difference of the solid and liquid plateaus that counts as an interface; a flatter profile is
    /// <see cref="InterfaceFitStatus.NoInterface"/>.
    /// </param>
    /// <param name="maximumIterations">Levenberg–Marquardt iterations per start.</param>
    public InterfaceFit(InterfaceGeometry geometry = InterfaceGeometry.PeriodicSlab, double minimumContrast = 0.25, int maximumIterations = 200)
    {
        if (!(minimumContrast > 0 && minimumContrast < 1))
            throw new ArgumentOutOfRangeException(nameof(minimumContrast), minimumContrast, "must be between 0 and 1");
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumIterations, 1);
        Geometry = geometry;
        MinimumContrast = minimumContrast;
        MaximumIterations = maximumIterations;
    }

    public InterfaceGeometry Geometry { get; }

    public double MinimumContrast { get; }

    public int MaximumIterations { get; }

    /// <summary>Fits a profile, weighting each slab by its particle count.</summary>
    public InterfaceFitResult Fit(SolidFractionProfileResult profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var weights = new double[profile.Bins];
        for (int k = 0; k < weights.Length; k++) weights[k] = profile.Counts[k];
        return Fit(profile.Positions, profile.Fractions, weights, profile.Start, profile.Length);
    }

    /// <summary>
    /// Fits fractions at the given positions, which lie in one period [start, start + length) (for a periodic slab;
    /// positions outside are wrapped into it). Points with weight 0 or a NaN fraction are left out.
    /// </summary>
    public InterfaceFitResult Fit(ReadOnlySpan<double> positions, ReadOnlySpan<double> fractions, ReadOnlySpan<double> weights,
        double start, double length)
    {
        if (positions.Length != fractions.Length || positions.Length != weights.Length)
            throw new ArgumentException($"positions ({positions.Length}), fractions ({fractions.Length}) and weights ({weights.Length}) differ in length");
        if (!(length > 0) || !double.IsFinite(length) || !double.IsFinite(start))
            throw new ArgumentOutOfRangeException(nameof(length), length, "the profile's period must be positive and finite");
        var data = Points.From(positions, fractions, weights, start, length, Geometry == InterfaceGeometry.PeriodicSlab);
        var empty = new InterfaceFitResult { Status = InterfaceFitStatus.Failed, Geometry = Geometry, Start = start, Length = length };
        int parameters = Geometry == InterfaceGeometry.PeriodicSlab ? 5 : 4;
        if (data.Count <= parameters)
            return empty with { Message = $"only {data.Count} slabs hold particles; the fit needs more than {parameters}" };

        double spacing = length / positions.Length;
        var smooth = data.Smoothed(periodic: Geometry == InterfaceGeometry.PeriodicSlab);
        double lo = smooth.Min(), hi = smooth.Max();
        if (hi - lo < MinimumContrast)
        {
            double mean = data.WeightedMean();
            return empty with
            {
                Status = InterfaceFitStatus.NoInterface, Low = mean, High = mean,
                Message = $"the profile is flat (solid fraction {lo:0.###} to {hi:0.###}, less than {MinimumContrast} apart)",
            };
        }
        var result = Geometry == InterfaceGeometry.PeriodicSlab
            ? FitSlab(data, smooth, lo, hi, spacing, start, length)
            : FitSingle(data, smooth, lo, hi, spacing, start, length);
        if (result.Status == InterfaceFitStatus.Fitted && result.High - result.Low < MinimumContrast)
            return result with
            {
                Status = InterfaceFitStatus.NoInterface,
                Message = $"the fitted plateaus ({result.Low:0.###}, {result.High:0.###}) are less than {MinimumContrast} apart",
            };
        return result;
    }

    private InterfaceFitResult FitSlab(Points data, double[] smooth, double lo, double hi, double spacing, double start, double length)
    {
        double l = length;
        // The solid: the longest circular run of points above the mid-level.
        double mid = 0.5 * (lo + hi);
        int n = data.Count, bestStart = 0, bestLength = 0, runStart = 0, run = 0;
        int below = Array.FindIndex(smooth, v => v < mid); // exists: the minimum is below the mid-level
        for (int step = 1; step <= n; step++)
        {
            int i = (below + step) % n;
            if (smooth[i] < mid)
            {
                run = 0;
                continue;
            }
            if (run++ == 0) runStart = i;
            if (run > bestLength) (bestStart, bestLength) = (runStart, run);
        }
        int last = (bestStart + bestLength - 1) % n;
        double left = EdgeBetween(data.X[(bestStart - 1 + n) % n], data.X[bestStart], l);
        double right = EdgeBetween(data.X[last], data.X[(last + 1) % n], l);
        double thickness = right - left;
        if (thickness <= 0) thickness += l;
        double center = Wrap(left + 0.5 * thickness, l);

        // Work in a coordinate where the solid is centred: u = x − center + L/2 (mod L).
        var u = new double[n];
        for (int i = 0; i < n; i++) u[i] = Wrap(data.X[i] - center + 0.5 * l, l);
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort((double[])u.Clone(), order);
        var ux = Vector<double>.Build.Dense(n, i => u[order[i]]);
        var uy = Vector<double>.Build.Dense(n, i => data.Y[order[i]]);
        var uw = Vector<double>.Build.Dense(n, i => data.W[order[i]]);

        var model = ObjectiveFunction.NonlinearModel(
            (p, x) => SlabModel(p, x, l),
            (p, x) => SlabJacobian(p, x, l),
            ux, uy, uw);
        double edge = 1e-3 * l;
        var lower = Vector<double>.Build.DenseOfArray([-0.5, -0.5, 0, 0.5 * l, 0.02 * spacing]);
        var upper = Vector<double>.Build.DenseOfArray([1.5, 1.5, 0.5 * l, l, 0.5 * l]);
        double x1 = Math.Clamp(0.5 * (l - thickness), edge, 0.5 * l - edge);
        double x2 = Math.Clamp(0.5 * (l + thickness), 0.5 * l + edge, l - edge);
        var best = Minimize(model, lower, upper, w => [lo, hi, x1, x2, w], spacing, l);
        if (best is null)
            return Failure(start, length, "the Levenberg–Marquardt fit did not converge from any start");
        var (p, errors, iterations) = best.Value;
        if (!(p[1] > p[0]))
            return Failure(start, length, "the fit put the solid plateau below the liquid one");
        var (r2, rmse) = Quality(uy, uw, SlabModel(p, ux, l));
        double shift = center - 0.5 * l;
        return new InterfaceFitResult
        {
            Status = InterfaceFitStatus.Fitted,
            Geometry = InterfaceGeometry.PeriodicSlab,
            Start = start,
            Length = length,
            Position1 = start + Wrap(p[2] + shift, l),
            Position2 = start + Wrap(p[3] + shift, l),
            Width = p[4],
            Low = p[0],
            High = p[1],
            SolidThickness = p[3] - p[2],
            SolidAbove = true,
            Position1Error = errors[2],
            Position2Error = errors[3],
            WidthError = errors[4],
            RSquared = r2,
            Rmse = rmse,
            Iterations = iterations,
        };
    }

    /// <summary>The boundary half-way between two consecutive points of a periodic profile (b follows a, possibly across the wrap).</summary>
    private static double EdgeBetween(double a, double b, double l)
    {
        if (b < a) b += l;
        return Wrap(0.5 * (a + b), l);
    }

    private InterfaceFitResult FitSingle(Points data, double[] smooth, double lo, double hi, double spacing, double start, double length)
    {
        int n = data.Count;
        // x0: the boundary between consecutive points where a step from one plateau to the other fits best.
        double bestCost = double.PositiveInfinity, x0 = data.X[0];
        bool above = true;
        for (int cut = 1; cut < n; cut++)
            foreach (bool solidAbove in (ReadOnlySpan<bool>)[true, false])
            {
                double cost = 0;
                for (int i = 0; i < n; i++)
                {
                    double level = (i >= cut) == solidAbove ? hi : lo;
                    cost += data.W[i] * (smooth[i] - level) * (smooth[i] - level);
                }
                if (cost < bestCost) (bestCost, x0, above) = (cost, 0.5 * (data.X[cut - 1] + data.X[cut]), solidAbove);
            }
        var xs = Vector<double>.Build.DenseOfArray(data.X[..n]);
        var ys = Vector<double>.Build.DenseOfArray(data.Y[..n]);
        var ws = Vector<double>.Build.DenseOfArray(data.W[..n]);
        var model = ObjectiveFunction.NonlinearModel(SingleModel, SingleJacobian, xs, ys, ws);
        double l = length;
        var lower = Vector<double>.Build.DenseOfArray([-0.5, -1, 0, 0.02 * spacing]);
        var upper = Vector<double>.Build.DenseOfArray([1.5, 1, l, 0.5 * l]);
        double a = 0.5 * (lo + hi), b = (above ? 0.5 : -0.5) * (hi - lo);
        x0 = Math.Clamp(x0, 1e-3 * l, l - 1e-3 * l);
        var best = Minimize(model, lower, upper, w => [a, b, x0, w], spacing, l);
        if (best is null)
            return Failure(start, length, "the Levenberg–Marquardt fit did not converge from any start");
        var (p, errors, iterations) = best.Value;
        var (r2, rmse) = Quality(ys, ws, SingleModel(p, xs));
        return new InterfaceFitResult
        {
            Status = InterfaceFitStatus.Fitted,
            Geometry = InterfaceGeometry.Single,
            Start = start,
            Length = length,
            Position1 = start + p[2],
            Width = p[3],
            Low = p[0] - Math.Abs(p[1]),
            High = p[0] + Math.Abs(p[1]),
            SolidAbove = p[1] > 0,
            Position1Error = errors[2],
            WidthError = errors[3],
            RSquared = r2,
            Rmse = rmse,
            Iterations = iterations,
        };
    }

    private InterfaceFitResult Failure(double start, double length, string message) =>
        new() { Status = InterfaceFitStatus.Failed, Geometry = Geometry, Start = start, Length = length, Message = message };

    /// <summary>Runs the minimizer from a few starting widths (the other parameters fixed by the caller) and keeps the best.</summary>
    private (Vector<double> Point, double[] Errors, int Iterations)? Minimize(IObjectiveModel model, Vector<double> lower,
        Vector<double> upper, Func<double, double[]> guess, double spacing, double length)
    {
        var minimizer = new LevenbergMarquardtMinimizer(initialMu: 1e-3, gradientTolerance: Tolerance, stepTolerance: Tolerance,
            functionTolerance: Tolerance, maximumIterations: MaximumIterations);
        (Vector<double>, double[], int)? best = null;
        double bestValue = double.PositiveInfinity;
        foreach (double w0 in (ReadOnlySpan<double>)[spacing, 3 * spacing, 0.1 * length])
        {
            double w = Math.Clamp(w0, lower[^1] * 1.5, upper[^1] * 0.9);
            var initial = Vector<double>.Build.DenseOfArray(guess(w));
            NonlinearMinimizationResult r;
            try
            {
                r = minimizer.FindMinimum(model, initial, lower, upper);
            }
            catch (Exception e) when (e is ArithmeticException or ArgumentException or InvalidOperationException)
            {
                continue;
            }
            if (r.ReasonForExit is ExitCondition.InvalidValues or ExitCondition.ExceedIterations) continue;
            var p = r.MinimizingPoint;
            if (!p.All(double.IsFinite)) continue;
            double value = r.ModelInfoAtMinimum.Value;
            if (!(value < bestValue)) continue;
            bestValue = value;
            var errors = new double[p.Count];
            for (int k = 0; k < errors.Length; k++)
                errors[k] = r.StandardErrors is { } se && k < se.Count && double.IsFinite(se[k]) ? se[k] : double.NaN;
            best = (p.Clone(), errors, r.Iterations);
        }
        return best;
    }

    /// <summary>lo + (hi − lo)/2 · Σ_m [tanh((x − x1 − mL)/w) − tanh((x − x2 − mL)/w)] over the images m = −1, 0, 1.</summary>
    private static Vector<double> SlabModel(Vector<double> p, Vector<double> x, double l)
    {
        double lo = p[0], hi = p[1], x1 = p[2], x2 = p[3], w = p[4];
        var f = Vector<double>.Build.Dense(x.Count);
        for (int i = 0; i < x.Count; i++)
        {
            double g = 0;
            for (int m = -1; m <= 1; m++) g += Math.Tanh((x[i] - x1 - m * l) / w) - Math.Tanh((x[i] - x2 - m * l) / w);
            f[i] = lo + 0.5 * (hi - lo) * g;
        }
        return f;
    }

    private static Matrix<double> SlabJacobian(Vector<double> p, Vector<double> x, double l)
    {
        double lo = p[0], hi = p[1], x1 = p[2], x2 = p[3], w = p[4];
        double half = 0.5 * (hi - lo);
        var j = Matrix<double>.Build.Dense(x.Count, 5);
        for (int i = 0; i < x.Count; i++)
        {
            double g = 0, d1 = 0, d2 = 0, dw = 0;
            for (int m = -1; m <= 1; m++)
            {
                double a = (x[i] - x1 - m * l) / w, b = (x[i] - x2 - m * l) / w;
                double ta = Math.Tanh(a), tb = Math.Tanh(b);
                double sa = 1 - ta * ta, sb = 1 - tb * tb;
                g += ta - tb;
                d1 += -sa / w;
                d2 += sb / w;
                dw += (-sa * a + sb * b) / w;
            }
            j[i, 0] = 1 - 0.5 * g;
            j[i, 1] = 0.5 * g;
            j[i, 2] = half * d1;
            j[i, 3] = half * d2;
            j[i, 4] = half * dw;
        }
        return j;
    }

    /// <summary>a + b · tanh((x − x0)/w).</summary>
    private static Vector<double> SingleModel(Vector<double> p, Vector<double> x) =>
        x.Map(xi => p[0] + p[1] * Math.Tanh((xi - p[2]) / p[3]));

    private static Matrix<double> SingleJacobian(Vector<double> p, Vector<double> x)
    {
        var j = Matrix<double>.Build.Dense(x.Count, 4);
        for (int i = 0; i < x.Count; i++)
        {
            double a = (x[i] - p[2]) / p[3], t = Math.Tanh(a), s = 1 - t * t;
            j[i, 0] = 1;
            j[i, 1] = t;
            j[i, 2] = -p[1] * s / p[3];
            j[i, 3] = -p[1] * s * a / p[3];
        }
        return j;
    }

    /// <summary>Weighted R² and RMS residual.</summary>
    private static (double RSquared, double Rmse) Quality(Vector<double> y, Vector<double> w, Vector<double> f)
    {
        double sw = 0, swy = 0;
        for (int i = 0; i < y.Count; i++)
        {
            sw += w[i];
            swy += w[i] * y[i];
        }
        double mean = swy / sw, res = 0, tot = 0;
        for (int i = 0; i < y.Count; i++)
        {
            res += w[i] * (y[i] - f[i]) * (y[i] - f[i]);
            tot += w[i] * (y[i] - mean) * (y[i] - mean);
        }
        return (tot > 0 ? 1 - res / tot : double.NaN, Math.Sqrt(res / sw));
    }

    private static double Wrap(double v, double l)
    {
        double r = v - l * Math.Floor(v / l);
        return r >= l ? 0 : r;
    }

    /// <summary>The usable points of a profile (weight > 0, finite), relative to the start, in increasing order.</summary>
    private sealed class Points
    {
        public required double[] X, Y, W;
        public int Count => X.Length;

        public static Points From(ReadOnlySpan<double> positions, ReadOnlySpan<double> fractions, ReadOnlySpan<double> weights,
            double start, double length, bool periodic)
        {
            var x = new List<double>(positions.Length);
            var y = new List<double>(positions.Length);
            var w = new List<double>(positions.Length);
            for (int i = 0; i < positions.Length; i++)
            {
                if (!(weights[i] > 0) || !double.IsFinite(fractions[i]) || !double.IsFinite(positions[i]) || !double.IsFinite(weights[i])) continue;
                double xi = positions[i] - start;
                if (periodic) xi = Wrap(xi, length);
                x.Add(xi);
                y.Add(fractions[i]);
                w.Add(weights[i]);
            }
            double[] xs = [.. x], ys = [.. y], ws = [.. w];
            var keys = (double[])xs.Clone();
            var order = Enumerable.Range(0, xs.Length).ToArray();
            Array.Sort(keys, order);
            return new Points
            {
                X = keys,
                Y = order.Select(i => ys[i]).ToArray(),
                W = order.Select(i => ws[i]).ToArray(),
            };
        }

        /// <summary>Weighted three-point average (circular for a periodic profile), for the initial guesses only.</summary>
        public double[] Smoothed(bool periodic)
        {
            int n = Count;
            var s = new double[n];
            for (int i = 0; i < n; i++)
            {
                double sum = 0, sw = 0;
                for (int d = -1; d <= 1; d++)
                {
                    int k = i + d;
                    if (periodic) k = (k + n) % n;
                    else if (k < 0 || k >= n) continue;
                    sum += W[k] * Y[k];
                    sw += W[k];
                }
                s[i] = sum / sw;
            }
            return s;
        }

        public double WeightedMean()
        {
            double sum = 0, sw = 0;
            for (int i = 0; i < Count; i++)
            {
                sum += W[i] * Y[i];
                sw += W[i];
            }
            return sum / sw;
        }
    }
}
