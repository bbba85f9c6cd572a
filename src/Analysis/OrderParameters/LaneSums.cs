using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StreamMonitor.Analysis.OrderParameters;

/// <summary>The sum of each of many vectors' lanes, as the per-particle q_lm sums need them.</summary>
internal static class LaneSums
{
    /// <summary>
    /// <paramref name="sums"/>[k] = the sum of <paramref name="vectors"/>[k]'s lanes. With AVX, eight single-precision
    /// vectors are reduced together by a tree of horizontal adds (nine instructions for eight sums, where summing each
    /// vector on its own takes about six per sum: for the 42 q_lm sums of a particle that was a quarter of its work).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Of<T>(ReadOnlySpan<Vector<T>> vectors, Span<T> sums) where T : unmanaged, INumber<T>
    {
        if (sums.Length < vectors.Length) throw new ArgumentException($"room for {vectors.Length} sums needed", nameof(sums));
        int k = 0;
        if (typeof(T) == typeof(float) && Vector<float>.Count == 8 && Avx.IsSupported)
        {
            var v = MemoryMarshal.Cast<Vector<T>, Vector256<float>>(vectors);
            var into = MemoryMarshal.Cast<T, float>(sums);
            for (; k + 8 <= v.Length; k += 8)
            {
                var low = Avx.HorizontalAdd(Avx.HorizontalAdd(v[k], v[k + 1]), Avx.HorizontalAdd(v[k + 2], v[k + 3]));
                var high = Avx.HorizontalAdd(Avx.HorizontalAdd(v[k + 4], v[k + 5]), Avx.HorizontalAdd(v[k + 6], v[k + 7]));
                // low: vectors k…k+3 summed over lanes 0–3 then over lanes 4–7; high: the same for k+4…k+7.
                var total = Avx.Permute2x128(low, high, 0x20) + Avx.Permute2x128(low, high, 0x31);
                total.StoreUnsafe(ref MemoryMarshal.GetReference(into), (nuint)k);
            }
        }
        for (; k < vectors.Length; k++) sums[k] = Vector.Sum(vectors[k]);
    }
}
