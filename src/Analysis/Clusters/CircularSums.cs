using System.Runtime.Intrinsics;

namespace StreamMonitor.Analysis.Clusters;

/// <summary>
/// Adds cos 2πs and sin 2πs of fractional coordinates to pairs of sums (cos at the index given, sin right
/// after it), four coordinates at a time through the vector sine and cosine: a percolating cluster's circular mean
/// takes both for each of its members along each percolating direction, and one at a time they cost as much as the
/// union-find. Values are added to their sums in the order they were given.
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
    public void Flush()
    {
        if (_count == 0) return;
        for (int k = _count; k < _pending.Length; k++) _pending[k] = 0;
        var (sin, cos) = Vector256.SinCos(Vector256.Create(_pending) * (2 * Math.PI));
        for (int k = 0; k < _count; k++)
        {
            sums[_targets[k]] += cos[k];
            sums[_targets[k] + 1] += sin[k];
        }
        _count = 0;
    }
}
