using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static StreamMonitor.Analysis.GenericVectorMath;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// An <see cref="MlpParameters"/> network evaluated on the CPU two vectors of rows at a time: one row per lane, the whole
/// network for those rows (scaling, every layer, the sigmoids) in registers and the first-level cache, in chunks of
/// rows on the idle cores (<see cref="RowChunks"/>). The outputs are the pre-softmax values: the caller applies the
/// softmax, as it does for TorchSharp's.
/// </summary>
/// <remarks>
/// The networks classifiers use are small (7 → 25 → 25 → 5 is ~900 multiply-adds a row). Layer by layer over a whole
/// frame, as TorchSharp runs them, each layer writes and rereads a buffer of rows × width values (100 MB for a million
/// rows), and filling the biases, the product and the sigmoid are three passes over it. Here nothing but the inputs
/// and outputs touches memory: a million rows of the lj model took 58 ms on two cores, against TorchSharp's 91 ms.
/// Each output is bias + Σ_i w_i · x_i summed in input order with fused multiply–adds, and the hidden activation is
/// 1 / (1 + e^−x), in the network's precision; the inputs are scaled in double, as <see cref="MlpNetwork"/> scales them.
/// </remarks>
internal sealed class FusedMlp
{
    private readonly MlpParameters _parameters;
    private readonly object _weights; // Vector<T>[] by layer: outputs × inputs, each weight in every lane
    private readonly object _biases;  // Vector<T>[] by layer
    private readonly int _widest;

    public FusedMlp(MlpParameters parameters, MlpPrecision precision)
    {
        _parameters = parameters;
        Precision = precision;
        _widest = parameters.LayerSizes.Max();
        if (precision == MlpPrecision.Double) (_weights, _biases) = Broadcast<double>(parameters);
        else (_weights, _biases) = Broadcast<float>(parameters);
    }

    public MlpPrecision Precision { get; }

    /// <summary>The outputs (before any softmax) of <paramref name="rows"/> rows of features into <paramref name="outputs"/>.</summary>
    public unsafe void Forward(ReadOnlySpan<double> features, Span<double> outputs, int rows)
    {
        int inputs = _parameters.InputCount, width = _parameters.OutputCount;
        fixed (double* input = features, output = outputs)
        {
            // Addresses, not spans, cross into the parallel loop (both stay pinned until it ends).
            nint from = (nint)input, to = (nint)output;
            RowChunks.For(rows, (first, end) =>
            {
                var source = new ReadOnlySpan<double>((double*)from + (long)first * inputs, (end - first) * inputs);
                var target = new Span<double>((double*)to + (long)first * width, (end - first) * width);
                if (Precision == MlpPrecision.Double) Rows<double>(source, target, end - first);
                else Rows<float>(source, target, end - first);
            });
        }
    }

    private static (Vector<T>[][] Weights, Vector<T>[][] Biases) Broadcast<T>(MlpParameters parameters)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ([.. parameters.Layers.Select(l => l.Weights.Select(w => new Vector<T>(T.CreateTruncating(w))).ToArray())],
            [.. parameters.Layers.Select(l => l.Bias.Select(b => new Vector<T>(T.CreateTruncating(b))).ToArray())]);

    /// <summary>
    /// The rows two vectors at a time: every value of the network is a pair of vectors (the first rows' lanes, then the
    /// next rows'), so each weight read serves both and each output's sum is two independent chains of multiply–adds
    /// (one chain waits out the add's latency at every step).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a frame's rows in one call: the unoptimised tier would run most of them
    private void Rows<T>(ReadOnlySpan<double> features, Span<double> outputs, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var weights = (Vector<T>[][])_weights;
        var biases = (Vector<T>[][])_biases;
        var translation = _parameters.InputTranslation;
        var stretch = _parameters.InputStretch;
        int inputs = _parameters.InputCount, width = _parameters.OutputCount, lanes = Vector<T>.Count, block = 2 * lanes;
        var x = new Vector<T>[2 * _widest];
        var y = new Vector<T>[2 * _widest];
        bool sigmoidOutput = _parameters.Output == OutputActivation.Sigmoid;
        for (int first = 0; first < rows; first += block)
        {
            int count = Math.Min(block, rows - first);
            // Value i of row first + r is lane r of x[2i .. 2i + 1]; rows past the last compute on zeros and are not written.
            var values = MemoryMarshal.Cast<Vector<T>, T>(x.AsSpan());
            if (count < block) values.Clear();
            for (int r = 0; r < count; r++)
            {
                var row = features.Slice((first + r) * inputs, inputs);
                for (int i = 0; i < inputs; i++) values[i * block + r] = T.CreateTruncating((row[i] - translation[i]) * stretch[i]);
            }
            for (int k = 0; k < weights.Length; k++)
            {
                var b = biases[k];
                int n = b.Length, m = weights[k].Length / n;
                bool activate = k + 1 < weights.Length || sigmoidOutput;
                // Unchecked reads: the layer's weights are n × m, and x holds its m inputs (pairs of vectors).
                ref var w = ref MemoryMarshal.GetArrayDataReference(weights[k]);
                ref var input = ref MemoryMarshal.GetArrayDataReference(x);
                int j = 0;
                // Four outputs at a time: each input read serves all four.
                for (; j + 3 < n; j += 4)
                {
                    var (a0, a1, a2, a3) = (b[j], b[j + 1], b[j + 2], b[j + 3]);
                    var (c0, c1, c2, c3) = (a0, a1, a2, a3);
                    ref var w0 = ref Unsafe.Add(ref w, j * m);
                    for (int i = 0; i < m; i++)
                    {
                        var xa = Unsafe.Add(ref input, 2 * i);
                        var xc = Unsafe.Add(ref input, 2 * i + 1);
                        ref var wi = ref Unsafe.Add(ref w0, i);
                        var (w1, w2, w3) = (Unsafe.Add(ref wi, m), Unsafe.Add(ref wi, 2 * m), Unsafe.Add(ref wi, 3 * m));
                        (a0, c0) = (Fma(wi, xa, a0), Fma(wi, xc, c0));
                        (a1, c1) = (Fma(w1, xa, a1), Fma(w1, xc, c1));
                        (a2, c2) = (Fma(w2, xa, a2), Fma(w2, xc, c2));
                        (a3, c3) = (Fma(w3, xa, a3), Fma(w3, xc, c3));
                    }
                    if (activate)
                    {
                        (a0, a1, a2, a3) = (Sigmoid(a0), Sigmoid(a1), Sigmoid(a2), Sigmoid(a3));
                        (c0, c1, c2, c3) = (Sigmoid(c0), Sigmoid(c1), Sigmoid(c2), Sigmoid(c3));
                    }
                    (y[2 * j], y[2 * j + 1], y[2 * j + 2], y[2 * j + 3]) = (a0, c0, a1, c1);
                    (y[2 * j + 4], y[2 * j + 5], y[2 * j + 6], y[2 * j + 7]) = (a2, c2, a3, c3);
                }
                for (; j < n; j++)
                {
                    var a = b[j];
                    var c = a;
                    ref var wj = ref Unsafe.Add(ref w, j * m);
                    for (int i = 0; i < m; i++)
                    {
                        var wi = Unsafe.Add(ref wj, i);
                        (a, c) = (Fma(wi, Unsafe.Add(ref input, 2 * i), a), Fma(wi, Unsafe.Add(ref input, 2 * i + 1), c));
                    }
                    (y[2 * j], y[2 * j + 1]) = activate ? (Sigmoid(a), Sigmoid(c)) : (a, c);
                }
                (x, y) = (y, x);
            }
            var results = MemoryMarshal.Cast<Vector<T>, T>(x.AsSpan());
            for (int r = 0; r < count; r++)
            {
                var row = outputs.Slice((first + r) * width, width);
                for (int o = 0; o < width; o++) row[o] = double.CreateTruncating(results[o * block + r]);
            }
        }
    }

    /// <summary>
    /// 1 / (1 + e^−v): e^−v in single precision from <see cref="ExpSingle"/>, in double from .NET's; NaN stays NaN (a row
    /// with a NaN feature gets NaN outputs, which no threshold accepts, as in TorchSharp).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Sigmoid<T>(Vector<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float)) return Vector<T>.One / (Vector<T>.One + Exp(-v));
        var sigmoid = Vector<T>.One / (Vector<T>.One + ExpSingle(-v.As<T, float>()).As<float, T>());
        return Vector.ConditionalSelect(Vector.Equals(v, v), sigmoid, v);
    }

    /// <summary>
    /// e^x in single precision within about one unit in the last place (Cephes' expf: e^x = 2^n · e^r with |r| ≤ ln 2 / 2
    /// and a degree-6 polynomial for e^r), on floats throughout: .NET's works in double, at twice the cost.
    /// Below −87.3 it gives 2^−126 rather than a denormal or 0, above 88.3 2^127·e^r rather than infinity; a sigmoid
    /// is 0 or 1 there either way. NaN comes out as a number (the clamp's native min and max drop it): callers keep it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<float> ExpSingle(Vector<float> x)
    {
        x = Vector.MinNative(Vector.MaxNative(x, new Vector<float>(-87.3f)), new Vector<float>(88.3f));
        var n = Vector.Floor(Vector.FusedMultiplyAdd(x, new Vector<float>(1.44269504088896341f), new Vector<float>(0.5f)));
        var r = Vector.FusedMultiplyAdd(n, new Vector<float>(-0.693359375f), x);
        r = Vector.FusedMultiplyAdd(n, new Vector<float>(2.12194440e-4f), r);
        var p = new Vector<float>(1.9875691500e-4f);
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1.3981999507e-3f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(8.3334519073e-3f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(4.1665795894e-2f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1.6666665459e-1f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(5.0000001201e-1f));
        var er = Vector.FusedMultiplyAdd(p, r * r, r + Vector<float>.One);
        var scale = Vector.ShiftLeft(Vector.ConvertToInt32Native(n) + new Vector<int>(127), 23).As<int, float>(); // n is whole and in range
        return er * scale;
    }
}
