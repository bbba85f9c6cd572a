using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StreamMonitor.Analysis.OrderParameters;

/// <summary>
/// The terms of w_l = Σ (l l l; m1 m2 m3) q_m1 q_m2 q_m3 (m3 = −m1 − m2) for one degree, as (m1, m2) pairs and their
/// coefficients, tabulated once per degree for <see cref="Steinhardt"/> and for the device kernels that compute the
/// same w_l. For even l the sum is folded by symmetry: the 3j symbol and the product do not change when the three m
/// are permuted (the symbol's sign is (−1)^(3l) for an odd permutation), and the term of (−m1, −m2, −m3) is the complex
/// conjugate of that of (m1, m2, m3) (q_−m = (−1)^m q_m*, and the m sum to 0), so its real part is the same. Each
/// class of terms is kept once with its size as a factor: about a twelfth of the (2l + 1)² pairs, the same w_l up to
/// rounding. Odd l keeps every pair.
/// </summary>
internal sealed class Wigner3jTerms
{
    private readonly int[] _m1;
    private readonly int[] _m2;
    private readonly double[] _coefficient;
    private readonly int[] _positions; // by term: l + m1, l + m2, l + m3, where each q_m sits in the full arrays

    public Wigner3jTerms(int l)
    {
        Degree = l;
        var m1s = new List<int>();
        var m2s = new List<int>();
        var cs = new List<double>();
        for (int m1 = -l; m1 <= l; m1++)
            for (int m2 = Math.Max(-l, -l - m1); m2 <= Math.Min(l, l - m1); m2++)
            {
                int m3 = -m1 - m2;
                double fold = l % 2 == 0 ? Fold(m1, m2, m3) : 1;
                if (fold == 0) continue;
                double c = Wigner3j.Symbol(l, m1, m2, m3);
                if (c == 0) continue;
                m1s.Add(m1);
                m2s.Add(m2);
                cs.Add(c * fold);
            }
        _m1 = [.. m1s];
        _m2 = [.. m2s];
        _coefficient = [.. cs];
        _positions = new int[3 * _coefficient.Length];
        for (int t = 0; t < _coefficient.Length; t++)
            (_positions[3 * t], _positions[3 * t + 1], _positions[3 * t + 2]) = (l + _m1[t], l + _m2[t], l - _m1[t] - _m2[t]);
    }

    /// <summary>
    /// How many terms (m1, m2, m3) stands for: 0 unless it is its class's representative (sorted ascending, and not
    /// below its negation), else the number of its distinct permutations, twice over when its negation is another triple.
    /// </summary>
    private static double Fold(int m1, int m2, int m3)
    {
        if (m1 > m2 || m2 > m3) return 0;
        // The negation sorted ascending is (−m3, −m2, −m1); keep the triple that is lexicographically larger.
        int order = (m1, m2, m3).CompareTo((-m3, -m2, -m1));
        if (order < 0) return 0;
        int permutations = m1 == m2 && m2 == m3 ? 1 : m1 == m2 || m2 == m3 ? 3 : 6;
        return order == 0 ? permutations : 2 * permutations;
    }

    public int Degree { get; }

    public ReadOnlySpan<int> M1 => _m1;

    public ReadOnlySpan<int> M2 => _m2;

    public ReadOnlySpan<double> Coefficients => _coefficient;

    /// <summary>
    /// Writes the q_lm of a vector of particles (m ≥ 0: <paramref name="re"/>, <paramref name="im"/>, l + 1 each, one
    /// particle per lane) into the full components (m = −l … l, at l + m) that <see cref="Evaluate"/> reads, using
    /// q_l,−m = (−1)^m q_lm*.
    /// </summary>
    public void Spread(ReadOnlySpan<Vector<double>> re, ReadOnlySpan<Vector<double>> im, Span<Vector<double>> fullRe, Span<Vector<double>> fullIm)
    {
        int l = Degree;
        fullRe[l] = re[0];
        fullIm[l] = im[0];
        for (int m = 1; m <= l; m++)
        {
            var sign = new Vector<double>(SteinhardtMath.ConjugateSign(m));
            (fullRe[l + m], fullIm[l + m]) = (re[m], im[m]);
            (fullRe[l - m], fullIm[l - m]) = (sign * re[m], -sign * im[m]);
        }
    }

    /// <summary>
    /// w_l = Σ (l l l; m1 m2 m3) q_m1 q_m2 q_m3 (real by symmetry; the real part is taken) of one particle per lane, from
    /// the full components <see cref="Spread"/> wrote (2l + 1 vectors each). The terms are the same for every particle,
    /// so each runs on all lanes at once, with the scalar <see cref="SteinhardtMath.TripleProduct"/>'s operations in
    /// its order (the same w_l as one particle at a time).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per particle and degree: hot from the first frame
    public Vector<double> Evaluate(ReadOnlySpan<Vector<double>> fullRe, ReadOnlySpan<Vector<double>> fullIm)
    {
        int l = Degree;
        // Unchecked reads: the terms' positions l + m lie in 0 … 2l by construction.
        if (fullRe.Length <= 2 * l || fullIm.Length <= 2 * l) throw new ArgumentException($"need {2 * l + 1} components");
        ref var reAt = ref MemoryMarshal.GetReference(fullRe);
        ref var imAt = ref MemoryMarshal.GetReference(fullIm);
        ref int position = ref MemoryMarshal.GetArrayDataReference(_positions);
        var w = Vector<double>.Zero;
        for (int t = 0; t < _coefficient.Length; t++)
        {
            int a = Unsafe.Add(ref position, 3 * t), b = Unsafe.Add(ref position, 3 * t + 1), c = Unsafe.Add(ref position, 3 * t + 2);
            var (aRe, aIm) = (Unsafe.Add(ref reAt, a), Unsafe.Add(ref imAt, a));
            var (bRe, bIm) = (Unsafe.Add(ref reAt, b), Unsafe.Add(ref imAt, b));
            var (cRe, cIm) = (Unsafe.Add(ref reAt, c), Unsafe.Add(ref imAt, c));
            var abRe = aRe * bRe - aIm * bIm;
            var abIm = aRe * bIm + aIm * bRe;
            w += new Vector<double>(_coefficient[t]) * (abRe * cRe - abIm * cIm);
        }
        return w;
    }
}
