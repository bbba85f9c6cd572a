namespace StreamMonitor.Classification.Gpu;

/// <summary>
/// exp and cos in double precision from plain arithmetic, for ILGPU kernels. ILGPU's CUDA backend has no
/// double-precision exp or cos of its own (compiling <see cref="Math.Exp"/> fails with "'ExpF' does not have an intrinsic
/// implementation"; it needs the ILGPU.Algorithms package or the CUDA SDK's libdevice), and code that is the same on
/// every accelerator lets the tests on the CPU accelerator vouch for what a GPU computes. Measured against
/// <see cref="Math.Exp"/> and <see cref="Math.Cos"/> on millions of arguments: exp within one unit in the last place,
/// cos within 2^-53 absolute; far below what the features and network outputs need (agreement with the CPU engines to
/// 1e-12).
/// </summary>
/// <remarks>
/// Only arithmetic, integer conversions and a bit cast: nothing a kernel backend could lack. The constants are the
/// two-part ln 2 and π/2 of fdlibm (Cody–Waite reduction, exact products for the multiples that occur here) and Taylor
/// coefficients, whose truncation error on the reduced ranges is below 1e-17.
/// </remarks>
public static class KernelMath
{
    /// <summary>Beyond this |x| <see cref="Cos"/> returns NaN: the one-step reduction by π/2 would lose digits.</summary>
    public const double CosArgumentLimit = 1e6;

    private const double ExpOverflow = 709.782712893384; // ln(double.MaxValue), rounded up
    private const double ExpUnderflow = -745.1332191019412; // ln(2^-1075): below it the result rounds to zero
    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 6.93147180369123816490e-01; // 32 significant bits: k · Ln2Hi is exact
    private const double Ln2Lo = 1.90821492927058770002e-10; // ln 2 − Ln2Hi
    private const double TwoOverPi = 0.6366197723675814;
    private const double PiOver2Hi = 1.57079632673412561417e+00; // 33 significant bits: n · PiOver2Hi is exact for n < 2^20
    private const double PiOver2Lo = 6.07710050650619224932e-11; // π/2 − PiOver2Hi

    /// <summary>e^x; +∞ above ln(double.MaxValue), 0 below ln(2^-1075), NaN for NaN; subnormal results rounded once.</summary>
    public static double Exp(double x)
    {
        if (!(x < ExpOverflow)) return x > 0 ? double.PositiveInfinity : x; // too large, +∞ or NaN
        if (x < ExpUnderflow) return 0;
        // x = k ln 2 + r with |r| <= ln 2 / 2, so e^x = 2^k e^r.
        double t = x * Log2E;
        int k = (int)(t < 0 ? t - 0.5 : t + 0.5);
        double r = (x - k * Ln2Hi) - k * Ln2Lo;
        double p = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720 + r * (1.0 / 5040
            + r * (1.0 / 40320 + r * (1.0 / 362880 + r * (1.0 / 3628800 + r * (1.0 / 39916800 + r * (1.0 / 479001600
            + r * (1.0 / 6227020800)))))))))))));
        // 2^k in two factors: each stays a normal number over the whole range (k from −1075 to 1024), and a subnormal
        // result is rounded only by the last product.
        int half = k >> 1;
        return p * PowerOfTwo(half) * PowerOfTwo(k - half);
    }

    /// <summary>
    /// ⌊x⌋ for |x| below 2^62 (Math.Floor has no intrinsic in every backend); equal to <see cref="Math.Floor(double)"/>
    /// there, so kernels that bin positions agree with the CPU code that bins them.
    /// </summary>
    public static double Floor(double x)
    {
        double t = (long)x; // rounds toward zero
        return t > x ? t - 1 : t;
    }

    /// <summary>cos x for |x| up to <see cref="CosArgumentLimit"/>; NaN beyond, and for NaN or ±∞.</summary>
    public static double Cos(double x)
    {
        double a = x < 0 ? -x : x;
        if (!(a <= CosArgumentLimit)) return double.NaN;
        // a = n π/2 + r with |r| <= π/4; cos a is ±cos r or ±sin r by the quadrant n mod 4.
        int n = (int)(a * TwoOverPi + 0.5);
        double r = (a - n * PiOver2Hi) - n * PiOver2Lo;
        int quadrant = n & 3;
        double value = (quadrant & 1) == 0 ? CosReduced(r) : SinReduced(r);
        return quadrant == 1 || quadrant == 2 ? -value : value;
    }

    /// <summary>cos r for |r| <= π/4 (Taylor series to r^16).</summary>
    private static double CosReduced(double r)
    {
        double z = r * r;
        return 1 + z * (-1.0 / 2 + z * (1.0 / 24 + z * (-1.0 / 720 + z * (1.0 / 40320 + z * (-1.0 / 3628800 + z * (1.0 / 479001600
            + z * (-1.0 / 87178291200 + z * (1.0 / 20922789888000))))))));
    }

    /// <summary>sin r for |r| <= π/4 (Taylor series to r^17).</summary>
    private static double SinReduced(double r)
    {
        double z = r * r;
        return r + r * z * (-1.0 / 6 + z * (1.0 / 120 + z * (-1.0 / 5040 + z * (1.0 / 362880 + z * (-1.0 / 39916800
            + z * (1.0 / 6227020800 + z * (-1.0 / 1307674368000 + z * (1.0 / 355687428096000))))))));
    }

    /// <summary>2^e for a normal exponent (−1022 to 1023), built from its bits.</summary>
    private static double PowerOfTwo(int e) => BitConverter.Int64BitsToDouble((long)(e + 1023) << 52);
}
