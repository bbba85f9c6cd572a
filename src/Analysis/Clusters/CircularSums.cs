using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace StreamMonitor.Analysis.Clusters;

/// <summary>
/// Adds cos 2πs and sin 2πs of fractional coordinates to pairs of sums (cos at the index given, sin right after it),
/// four coordinates at a time: a percolating cluster's circular mean takes both for each of its members along each
/// percolating direction, and one at a time they cost as much as the union-find. Values are added to their sums in the
/// order they were given.
/// </summary>
internal sealed class CircularSums(double[] sums)
{
    private readonly double[] _pending = new double[Vector256<double>.Count];
    private readonly int[] _targets = new int[Vector256<double>.Count];
    private int _count;

    /// <summary>Adds the cos and sin of 2π<paramref name="s"/> to sums[<paramref name="target"/>] and sums[target + 1].</summary>
    public void Add(double s, int target)
    {
        _pending[_count] = s;
        _targets[_count++] = target;
        if (_count == _pending.Length) Flush();
    }

    /// <summary>Adds whatever is pending; call once the last value is given.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called for every fourth member: slow for seconds if left to tier up
    public void Flush()
    {
        if (_count == 0) return;
        for (int k = _count; k < _pending.Length; k++) _pending[k] = 0;
        var (sin, cos) = SinCosOfTurns(Vector256.Create(_pending));
        for (int k = 0; k < _count; k++)
        {
            sums[_targets[k]] += cos[k];
            sums[_targets[k] + 1] += sin[k];
        }
        _count = 0;
    }

    /// <summary>
    /// sin 2πs and cos 2πs in every lane, within about an ulp. Whole turns are dropped first, exactly, and the rest is
    /// split into quarter turns and a remainder within ±π/4, where Cephes' polynomials hold (Moshier, <c>sin.c</c>).
    /// </summary>
    /// <remarks>
    /// Written here rather than taken from <see cref="Vector256.SinCos(Vector256{double})"/>: that one reaches optimised
    /// code only after seconds of a process's life, calling a scalar helper per lane until then, and it needs the angle
    /// 2πs, whose rounding costs more than an ulp once |s| passes a turn.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector256<double> Sin, Vector256<double> Cos) SinCosOfTurns(Vector256<double> s)
    {
        var quarters = 4 * (s - Vector256.Round(s)); // in [-2, 2], exact
        var q = Vector256.Round(quarters);
        var r = (quarters - q) * (Math.PI / 2);      // the remainder in [-π/4, π/4]
        var z = r * r;
        var sinP = Poly(z, 1.58962301576546568060E-10, -2.50507477628578072866E-8, 2.75573136213857245213E-6,
            -1.98412698295895385996E-4, 8.33333333332211858878E-3, -1.66666666666666307295E-1);
        var cosP = Poly(z, -1.13585365213876817300E-11, 2.08757008419747316778E-9, -2.75573141792967388112E-7,
            2.48015872888517045348E-5, -1.38888888888730564116E-3, 4.16666666666665929218E-2);
        var sinR = Vector256.FusedMultiplyAdd(r * z, sinP, r);
        var cosR = Vector256.FusedMultiplyAdd(z * z, cosP, Vector256.FusedMultiplyAdd(Vector256.Create(-0.5), z, Vector256<double>.One));
        // Quarter turn k of 4: odd ones swap sine and cosine, the sine is negative in quarters 2 and 3, the cosine in 1 and 2.
        var k = q - 4 * Vector256.Floor(q * 0.25); // 0, 1, 2 or 3
        var one = Vector256.Equals(k, Vector256<double>.One);
        var two = Vector256.Equals(k, Vector256.Create(2.0));
        var swap = one | Vector256.Equals(k, Vector256.Create(3.0));
        var negative = Vector256.Create(-0.0);
        var sinSign = Vector256.GreaterThanOrEqual(k, Vector256.Create(2.0)) & negative;
        var cosSign = (one | two) & negative;
        return (Vector256.ConditionalSelect(swap, cosR, sinR) ^ sinSign, Vector256.ConditionalSelect(swap, sinR, cosR) ^ cosSign);
    }

    /// <summary>((((c0·z + c1)·z + c2)·z + c3)·z + c4)·z + c5, by Horner's rule.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Poly(Vector256<double> z, double c0, double c1, double c2, double c3, double c4, double c5)
    {
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(c0), z, Vector256.Create(c1));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(c2));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(c3));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(c4));
        return Vector256.FusedMultiplyAdd(p, z, Vector256.Create(c5));
    }
}
