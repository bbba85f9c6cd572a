using StreamMonitor.Analysis.OrderParameters;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// Real spherical harmonics of unit vectors as a tensor, for networks that build rotation-invariant angular features
/// (<see cref="GnnLayer"/>): Y_l0, then √2 Re Y_lm and √2 Im Y_lm for m = 1..l, for l = 0..degree, in the last
/// dimension ((degree + 1)² values, order <see cref="Offset"/>). With this basis Σ over one l of Y(u) Y(v) is
/// (2l + 1)/(4π) P_l(u·v), so sums over each l of products are invariant under rotation.
/// </summary>
/// <remarks>
/// The polynomial parts and their recurrence come from <see cref="SphericalHarmonicTable"/>, the same tables the
/// Steinhardt order parameters use; (x + iy)^m gives the azimuthal parts without trigonometry.
/// </remarks>
internal static class SphericalHarmonicTensors
{
    /// <summary>Values per vector for harmonics up to <paramref name="degree"/>.</summary>
    public static int Count(int degree) => (degree + 1) * (degree + 1);

    /// <summary>Where order l starts in the last dimension; its 2l + 1 values follow.</summary>
    public static int Offset(int l) => l * l;

    /// <summary>
    /// The rotation invariants Σ_m A_lm[c]² of expansions <paramref name="expansion"/> [..., c, (degree + 1)²] in this
    /// basis, as [..., c, degree + 1]: each channel's power per order, the quantity q_l is the root of.
    /// </summary>
    /// <remarks>All orders in one matrix product with the 0/1 matrix that sums each order's 2l + 1 squares.</remarks>
    public static Tensor PowerSpectrum(Tensor expansion, int degree)
    {
        var orders = zeros(Count(degree), degree + 1, dtype: expansion.dtype, device: expansion.device);
        for (int l = 0; l <= degree; l++) orders.narrow(0, Offset(l), 2 * l + 1).select(1, l).fill_(1);
        return expansion.square().matmul(orders);
    }

    /// <param name="unit">Unit vectors [..., 3]; zero vectors give Y_00 and zeros elsewhere only where masked later.</param>
    public static Tensor Real(Tensor unit, int degree)
    {
        var table = new SphericalHarmonicTable(degree);
        Tensor x = unit.select(-1, 0), y = unit.select(-1, 1), z = unit.select(-1, 2);
        // (x + iy)^m as real and imaginary parts, m = 0..degree.
        var re = new Tensor[degree + 1];
        var im = new Tensor[degree + 1];
        (re[0], im[0]) = (ones_like(x), zeros_like(x));
        for (int m = 1; m <= degree; m++) (re[m], im[m]) = (x * re[m - 1] - y * im[m - 1], x * im[m - 1] + y * re[m - 1]);
        var values = new Tensor[Count(degree)];
        for (int m = 0; m <= degree; m++)
        {
            Tensor? previous = null, current = full_like(z, table.Diagonal[m]);
            for (int l = m; l <= degree; l++)
            {
                if (l > m)
                {
                    int at = SphericalHarmonicTable.Index(l, m);
                    var next = table.B[at] == 0 ? z * current : z * current + table.B[at] * previous!;
                    (previous, current) = (current, next * table.A[at]);
                }
                if (m == 0) values[Offset(l) + 0] = current;
                else
                {
                    values[Offset(l) + 2 * m - 1] = current * re[m] * Math.Sqrt(2);
                    values[Offset(l) + 2 * m] = current * im[m] * Math.Sqrt(2);
                }
            }
        }
        return stack(values, -1);
    }
}
