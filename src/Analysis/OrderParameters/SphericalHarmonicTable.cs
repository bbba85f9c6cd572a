using System.Runtime.CompilerServices;

namespace StreamMonitor.Analysis.OrderParameters;

/// <summary>
/// The tables for spherical harmonics Y_lm (m ≥ 0, l ≤ <see cref="MaxDegree"/>) of a unit vector, split as
/// Y_lm(u) = p_lm(u_z) · (u_x + i u_y)^m, where p_lm = K_lm P_l^m(cos θ) / sin^m θ is a polynomial in cos θ.
/// <see cref="Steinhardt"/> runs the recurrence below on several bonds at once (one per SIMD lane).
/// </summary>
/// <remarks>
/// <para>
/// Normalisation and phase are the physics convention LAMMPS and freud use: K_lm = sqrt((2l+1)/(4π) (l−m)!/(l+m)!),
/// P_l^m with the Condon–Shortley phase (P_l^l = (−1)^l (2l−1)!! sin^l θ), so Σ_m |Y_lm|² = (2l+1)/(4π).
/// </para>
/// <para>
/// Why this split: sin^m θ e^{imφ} is just (x + iy)^m for a unit vector, a complex power with no trigonometry and no
/// special case at the poles, and p_lm follows from the three-term recurrence of the orthonormalised associated
/// Legendre functions, p_lm = a_lm (z p_{l−1,m} + b_lm p_{l−2,m}), starting from the constant p_mm. That recurrence is
/// stable in the upward direction and needs no factorials (which overflow or lose digits at high l), and its
/// coefficients are tabulated once here, so the per-neighbour work is a few multiply–adds per (l, m).
/// </para>
/// </remarks>
internal sealed class SphericalHarmonicTable
{
    private readonly double[] _diagonal; // p_mm, by m
    private readonly double[] _a;        // by Index(l, m), l > m
    private readonly double[] _b;

    public SphericalHarmonicTable(int maxDegree)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDegree);
        MaxDegree = maxDegree;
        _diagonal = new double[maxDegree + 1];
        double product = 1; // Π_{k=1..m} (2k−1)/(2k) = ((2m−1)!!)² / (2m)!
        for (int m = 0; m <= maxDegree; m++)
        {
            if (m > 0) product *= (2.0 * m - 1) / (2.0 * m);
            double magnitude = Math.Sqrt((2.0 * m + 1) / (4 * Math.PI) * product);
            _diagonal[m] = (m & 1) == 0 ? magnitude : -magnitude;
        }
        _a = new double[Size];
        _b = new double[Size];
        for (int m = 0; m <= maxDegree; m++)
            for (int l = m + 1; l <= maxDegree; l++)
            {
                double l2 = (double)l * l, m2 = (double)m * m, lm1 = l - 1.0;
                _a[Index(l, m)] = Math.Sqrt((4 * l2 - 1) / (l2 - m2));
                _b[Index(l, m)] = l == m + 1 ? 0 : -Math.Sqrt((lm1 * lm1 - m2) / (4 * lm1 * lm1 - 1));
            }
    }

    public int MaxDegree { get; }

    /// <summary>p_mm by m: the start of each recurrence.</summary>
    public ReadOnlySpan<double> Diagonal => _diagonal;

    /// <summary>a_lm by <see cref="Index"/> (l &gt; m): p_lm = a_lm (z p_{l−1,m} + b_lm p_{l−2,m}).</summary>
    public ReadOnlySpan<double> A => _a;

    /// <summary>b_lm by <see cref="Index"/> (l &gt; m; 0 for l = m + 1).</summary>
    public ReadOnlySpan<double> B => _b;

    /// <summary>Number of (l, m) entries with 0 ≤ m ≤ l ≤ MaxDegree.</summary>
    public int Size => (MaxDegree + 1) * (MaxDegree + 2) / 2;

    /// <summary>Position of (l, m), 0 ≤ m ≤ l, in the triangular arrays this class fills.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Index(int l, int m) => l * (l + 1) / 2 + m;
}
