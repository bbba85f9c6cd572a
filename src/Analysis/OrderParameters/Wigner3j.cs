using System.Numerics;

namespace StreamMonitor.Analysis.OrderParameters;

/// <summary>
/// Wigner 3j symbols (l l l; m1 m2 m3) for the third-order invariant w_l. Computed once per degree (when a
/// <see cref="Steinhardt"/> is built) from the Racah formula in exact integer arithmetic: the formula is an alternating
/// sum of ratios of factorials that cancels badly in floating point at high l, while the exact rational costs nothing
/// at set-up and is then rounded once to double.
/// </summary>
internal static class Wigner3j
{
    /// <summary>(l l l; m1 m2 m3), zero unless m1 + m2 + m3 = 0 and every |m| ≤ l.</summary>
    public static double Symbol(int l, int m1, int m2, int m3)
    {
        if (m1 + m2 + m3 != 0 || Math.Abs(m1) > l || Math.Abs(m2) > l || Math.Abs(m3) > l) return 0;
        // Racah: (−1)^{j1−j2−m3} sqrt(Δ · Π (j±m)!) Σ_t (−1)^t / [t! (j3−j2+t+m1)! (j3−j1+t−m2)! (j1+j2−j3−t)! (j1−t−m1)! (j2−t+m2)!]
        // with j1 = j2 = j3 = l.
        BigInteger num = BigInteger.Zero, den = BigInteger.One;
        for (int t = 0; t <= 3 * l; t++)
        {
            int f1 = t + m1, f2 = t - m2, f3 = l - t, f4 = l - t - m1, f5 = l - t + m2;
            if (f1 < 0 || f2 < 0) continue;
            if (f3 < 0 || f4 < 0 || f5 < 0) break;
            var d = Factorial(t) * Factorial(f1) * Factorial(f2) * Factorial(f3) * Factorial(f4) * Factorial(f5);
            num = num * d + ((t & 1) == 0 ? den : -den);
            den *= d;
            var g = BigInteger.GreatestCommonDivisor(num, den);
            if (!g.IsOne && !g.IsZero)
            {
                num /= g;
                den /= g;
            }
        }
        if (num.IsZero) return 0;
        // Δ(l l l) = (l!)³ / (3l + 1)!
        var square = BigInteger.Pow(Factorial(l), 3)
                     * Factorial(l + m1) * Factorial(l - m1) * Factorial(l + m2) * Factorial(l - m2) * Factorial(l + m3) * Factorial(l - m3)
                     * num * num;
        var squareDen = Factorial(3 * l + 1) * den * den;
        double magnitude = Math.Sqrt(Ratio(square, squareDen));
        int sign = (m3 & 1) == 0 ? 1 : -1; // (−1)^{j1 − j2 − m3} = (−1)^{m3}
        return num.Sign * sign * magnitude;
    }

    private static BigInteger Factorial(int n)
    {
        var f = BigInteger.One;
        for (int k = 2; k <= n; k++) f *= k;
        return f;
    }

    /// <summary>n / d for positive big integers, correctly to double precision whatever their size.</summary>
    private static double Ratio(BigInteger n, BigInteger d)
    {
        long shift = d.GetBitLength() - n.GetBitLength() + 64;
        var q = shift >= 0 ? (n << (int)shift) / d : n / (d << (int)-shift);
        return Math.ScaleB((double)q, (int)-shift);
    }
}
