using System.Numerics;
using System.Runtime.CompilerServices;

namespace StreamMonitor.Analysis.OrderParameters;

/// <summary>
/// The scalar steps of the Steinhardt parameters, shared by <see cref="Steinhardt"/> and the ILGPU kernels that compute
/// the same features on a device: plain arithmetic on doubles, nothing a kernel backend could lack, so both sides
/// round the same way.
/// </summary>
internal static class SteinhardtMath
{
    /// <summary>A neighbour closer than this sits on top of the particle: no direction (LAMMPS: 10 DBL_EPSILON).</summary>
    public const double CoincidentDistance = 10 * 2.220446049250313e-16;

    /// <summary>p_lm from p_{l−1,m} and p_{l−2,m}: the recurrence of <see cref="SphericalHarmonicTable"/> with its a_lm, b_lm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LegendreNext(double z, double p1, double p2, double a, double b) => (z * p1 + p2 * b) * a;

    /// <summary>(−1)^m: q_l,−m = (−1)^m q_lm*.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ConjugateSign(int m) => (m & 1) == 0 ? 1 : -1;

    /// <summary>q_l from Σ_{m=−l..l} |q_lm|².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Ql(int l, double sumOfSquares) => Math.Sqrt(4 * Math.PI / (2 * l + 1) * sumOfSquares);

    /// <summary><see cref="Ql(int, double)"/> of a vector of particles, with the same operations (the CPU's lanes only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Ql(int l, Vector<double> sumOfSquares) =>
        Vector.SquareRoot(new Vector<double>(4 * Math.PI / (2 * l + 1)) * sumOfSquares);

    /// <summary>ŵ_l = w_l / (Σ_m |q_lm|²)^{3/2}; 0 where q_l is below <see cref="Steinhardt.NormalisationEpsilon"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double WlHat(double q, double w, double sumOfSquares) =>
        q < Steinhardt.NormalisationEpsilon ? 0 : w / (sumOfSquares * Math.Sqrt(sumOfSquares));

    /// <summary>One term of w_l: c · Re(q_a q_b q_c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TripleProduct(double c, double aRe, double aIm, double bRe, double bIm, double cRe, double cIm)
    {
        double abRe = aRe * bRe - aIm * bIm;
        double abIm = aRe * bIm + aIm * bRe;
        return c * (abRe * cRe - abIm * cIm);
    }
}
