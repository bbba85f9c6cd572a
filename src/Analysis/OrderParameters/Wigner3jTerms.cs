namespace StreamMonitor.Analysis.OrderParameters;

/// <summary>
/// The non-zero (l l l; m1 m2 m3) of one degree, as (m1, m2) pairs and their coefficients (m3 = −m1 − m2): the terms of
/// w_l, tabulated once per degree for <see cref="Steinhardt"/> and for the device kernels that compute the same w_l.
/// </summary>
internal sealed class Wigner3jTerms
{
    private readonly int[] _m1;
    private readonly int[] _m2;
    private readonly double[] _coefficient;

    public Wigner3jTerms(int l)
    {
        Degree = l;
        var m1s = new List<int>();
        var m2s = new List<int>();
        var cs = new List<double>();
        for (int m1 = -l; m1 <= l; m1++)
            for (int m2 = Math.Max(-l, -l - m1); m2 <= Math.Min(l, l - m1); m2++)
            {
                double c = Wigner3j.Symbol(l, m1, m2, -m1 - m2);
                if (c == 0) continue;
                m1s.Add(m1);
                m2s.Add(m2);
                cs.Add(c);
            }
        _m1 = [.. m1s];
        _m2 = [.. m2s];
        _coefficient = [.. cs];
    }

    public int Degree { get; }

    public ReadOnlySpan<int> M1 => _m1;

    public ReadOnlySpan<int> M2 => _m2;

    public ReadOnlySpan<double> Coefficients => _coefficient;

    /// <summary>
    /// w_l = Σ (l l l; m1 m2 m3) q_m1 q_m2 q_m3 (real by symmetry; the real part is taken) from the m ≥ 0 components;
    /// <paramref name="fullRe"/>/<paramref name="fullIm"/> (2l + 1 each) are scratch for all m.
    /// </summary>
    public double Evaluate(ReadOnlySpan<double> re, ReadOnlySpan<double> im, double[] fullRe, double[] fullIm)
    {
        int l = Degree;
        fullRe[l] = re[0];
        fullIm[l] = im[0];
        for (int m = 1; m <= l; m++)
        {
            fullRe[l + m] = re[m];
            fullIm[l + m] = im[m];
            double sign = SteinhardtMath.ConjugateSign(m);
            fullRe[l - m] = sign * re[m];
            fullIm[l - m] = -sign * im[m];
        }
        double w = 0;
        for (int t = 0; t < _coefficient.Length; t++)
        {
            int a = l + _m1[t], b = l + _m2[t], c = l - _m1[t] - _m2[t];
            w += SteinhardtMath.TripleProduct(_coefficient[t], fullRe[a], fullIm[a], fullRe[b], fullIm[b], fullRe[c], fullIm[c]);
        }
        return w;
    }
}
