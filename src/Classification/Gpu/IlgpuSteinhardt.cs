using ILGPU;
using ILGPU.Runtime;
using StreamMonitor.Analysis.OrderParameters;
using StreamMonitor.Classification.Features;

namespace StreamMonitor.Classification.Gpu;

/// <summary>
/// The <see cref="AtomicFeatureSpec"/> columns (q̄_l or q_l, ŵ_l, coordination) from a neighbour list on the device, as
/// <see cref="AtomicFeaturizer"/> lays them out, computed as <see cref="Steinhardt"/> computes them: the same
/// spherical-harmonic tables and recurrence, the same Wigner 3j terms, the same scalar steps
/// (<see cref="SteinhardtMath"/>), in double precision.
/// </summary>
/// <remarks>
/// Two kernels, one thread per atom. The first sums Y_lm over the atom's bonds into its q_lm (m ≥ 0 of every degree),
/// or marks it undefined (no neighbour, or one on top of it). The second averages q_lm over the atom and its defined
/// neighbours (Lechner–Dellago; skipped without averaging) in the neighbour list's order, as the CPU does, and writes the
/// atom's row. Per-atom components live in device arrays laid out component-major (component s of atom i at
/// s · atoms + i), as their number is a runtime value; neighbouring threads then touch neighbouring addresses. The only
/// difference from the CPU is the order in which a sum over bonds is added up (the CPU adds several bonds at once in
/// SIMD lanes), a few units in the last place.
/// </remarks>
internal sealed class IlgpuSteinhardt : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly AtomicFeatureSpec _spec;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<int>,
        ArrayView<double>, ArrayView<int>, Layout> _own;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<double>, ArrayView<int>, ArrayView<double>, ArrayView<int>,
        ArrayView<int>, ArrayView<double>, ArrayView<double>, Layout> _finish;
    private readonly DeviceBuffer<double> _legendre;     // p_mm by m, then a_lm, then b_lm (SphericalHarmonicTable)
    private readonly DeviceBuffer<int> _slotOf;          // by SphericalHarmonicTable.Index(l, m): the component slot, or −1
    private readonly DeviceBuffer<int> _degrees;         // see Layout
    private readonly DeviceBuffer<int> _terms;           // Wigner 3j terms: m1, m2
    private readonly DeviceBuffer<double> _coefficients; // and their coefficients
    private readonly DeviceBuffer<double> _components;   // each atom's own q_lm: real parts, then imaginary parts
    private readonly DeviceBuffer<double> _averaged;     // the averaged q̄_lm, same layout
    private readonly DeviceBuffer<int> _defined;
    private readonly DeviceBuffer<double> _features;
    private readonly IDisposable[] _buffers;
    private readonly int _slots, _maxDegree, _wlColumns;

    public IlgpuSteinhardt(AtomicFeatureSpec spec, Accelerator accelerator)
    {
        _spec = spec;
        _accelerator = accelerator;
        var degrees = spec.Degrees;
        var table = new SphericalHarmonicTable(degrees.Max());
        _maxDegree = table.MaxDegree;
        var slotBase = new int[degrees.Count];
        for (int d = 0; d < degrees.Count; d++)
        {
            slotBase[d] = _slots;
            _slots += degrees[d] + 1;
        }
        var slotOf = new int[table.Size];
        Array.Fill(slotOf, -1);
        for (int d = 0; d < degrees.Count; d++)
            for (int m = 0; m <= degrees[d]; m++)
                slotOf[SphericalHarmonicTable.Index(degrees[d], m)] = slotBase[d] + m;

        // Per degree: l, first slot; per ŵ column: its degree's index, first term, term count.
        _wlColumns = spec.WlDegrees.Count;
        var layout = new List<int>(degrees);
        layout.AddRange(slotBase);
        var terms = new List<int>();
        var coefficients = new List<double>();
        var wlTerms = new List<(int Start, int Count)>();
        foreach (int l in spec.WlDegrees)
        {
            layout.Add(degrees.ToList().IndexOf(l));
            var wigner = new Wigner3jTerms(l);
            wlTerms.Add((coefficients.Count, wigner.Coefficients.Length));
            for (int t = 0; t < wigner.Coefficients.Length; t++)
            {
                terms.Add(wigner.M1[t]);
                terms.Add(wigner.M2[t]);
                coefficients.Add(wigner.Coefficients[t]);
            }
        }
        layout.AddRange(wlTerms.Select(t => t.Start));
        layout.AddRange(wlTerms.Select(t => t.Count));

        _legendre = new(accelerator);
        _slotOf = new(accelerator);
        _degrees = new(accelerator);
        _terms = new(accelerator);
        _coefficients = new(accelerator);
        _components = new(accelerator);
        _averaged = new(accelerator);
        _defined = new(accelerator);
        _features = new(accelerator);
        _buffers = [_legendre, _slotOf, _degrees, _terms, _coefficients, _components, _averaged, _defined, _features];
        try
        {
            _legendre.Upload([.. table.Diagonal, .. table.A, .. table.B]);
            _slotOf.Upload(slotOf);
            _degrees.Upload([.. layout]);
            _terms.Upload([.. terms]);
            _coefficients.Upload([.. coefficients]);
            _own = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
                ArrayView<double>, ArrayView<int>, ArrayView<double>, ArrayView<int>, Layout>(OwnComponents);
            _finish = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<double>, ArrayView<int>,
                ArrayView<double>, ArrayView<int>, ArrayView<int>, ArrayView<double>, ArrayView<double>, Layout>(Finish);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The feature rows (atoms × width, row-major) and which atoms are defined, copied to the host.</summary>
    public (double[] Values, bool[] Defined) Compute(IlgpuNeighborSearch.DeviceNeighbors list)
    {
        int n = list.Count, width = _spec.Width;
        var layout = new Layout
        {
            Atoms = n, Slots = _slots, MaxDegree = _maxDegree, Degrees = _spec.Degrees.Count, WlColumns = _wlColumns, Width = width,
            Coordination = _spec.Coordination ? width - 1 : -1, Average = _spec.Average ? 1 : 0,
        };
        var defined = _defined.Reserve(n);
        var components = _components.Reserve(2L * _slots * n);
        var features = _features.Reserve((long)n * width);
        _own(n, list.Offsets, list.Dx, list.Dy, list.Dz, _legendre.View, _slotOf.View, components, defined, layout);
        _finish(n, list.Offsets, list.Index, components, defined, _averaged.Reserve(2L * _slots * n), _degrees.View, _terms.View,
            _coefficients.View, features, layout);
        _accelerator.Synchronize();
        var values = new double[(long)n * width];
        var flags = new int[n];
        _features.Download(values);
        _defined.Download(flags);
        return (values, Array.ConvertAll(flags, f => f != 0));
    }

    public void Dispose()
    {
        foreach (var b in _buffers) b.Dispose();
    }

    /// <summary>
    /// The sizes a kernel needs besides the arrays. The degree table holds, per degree d (of <see cref="Degrees"/>): l at d,
    /// its first slot at Degrees + d; per ŵ column w: its degree's index at 2 Degrees + w, its first Wigner term at
    /// 2 Degrees + WlColumns + w and its number of terms at 2 Degrees + 2 WlColumns + w. Coordination: its column, or −1.
    /// </summary>
    internal struct Layout
    {
        public int Atoms, Slots, MaxDegree, Degrees, WlColumns, Width, Coordination, Average;
    }

    /// <summary>Atom i's q_lm = (1/N_b) Σ_j Y_lm(r̂_ij) for m ≥ 0 of every degree (Steinhardt.Accumulate, one bond at a time).</summary>
    private static void OwnComponents(Index1D index, ArrayView<int> offsets, ArrayView<float> dx, ArrayView<float> dy, ArrayView<float> dz,
        ArrayView<double> legendre, ArrayView<int> slotOf, ArrayView<double> components, ArrayView<int> defined, Layout c)
    {
        int i = index;
        long atoms = c.Atoms;
        int slots = c.Slots, lmax = c.MaxDegree;
        for (int s = 0; s < 2 * slots; s++) components[s * atoms + i] = 0;
        defined[i] = 0;
        int start = offsets[i], end = offsets[i + 1];
        if (end == start) return;
        for (int p = start; p < end; p++)
        {
            // LAMMPS' direction: particle − neighbour (the list stores neighbour − particle).
            double x = -dx[p], y = -dy[p], z = -dz[p];
            if (Math.Sqrt(x * x + y * y + z * z) <= SteinhardtMath.CoincidentDistance) return;
        }
        int size = (lmax + 1) * (lmax + 2) / 2;
        for (int p = start; p < end; p++)
        {
            double x = -dx[p], y = -dy[p], z = -dz[p];
            double inv = 1.0 / Math.Sqrt(x * x + y * y + z * z);
            double ux = x * inv, uy = y * inv, uz = z * inv;
            double powRe = 1, powIm = 0; // (x + iy)^m
            for (int m = 0; m <= lmax; m++)
            {
                int entry = SphericalHarmonicTable.Index(m, m);
                double p2 = 0, p1 = legendre[m];
                Add(components, slotOf[entry], slots, atoms, i, p1 * powRe, p1 * powIm);
                for (int l = m + 1; l <= lmax; l++)
                {
                    entry += l;
                    double pl = SteinhardtMath.LegendreNext(uz, p1, p2, legendre[lmax + 1 + entry], legendre[lmax + 1 + size + entry]);
                    Add(components, slotOf[entry], slots, atoms, i, pl * powRe, pl * powIm);
                    p2 = p1;
                    p1 = pl;
                }
                double nextRe = powRe * ux - powIm * uy;
                powIm = powRe * uy + powIm * ux;
                powRe = nextRe;
            }
        }
        double mean = 1.0 / (end - start);
        for (int s = 0; s < 2 * slots; s++) components[s * atoms + i] *= mean;
        defined[i] = 1;
    }

    private static void Add(ArrayView<double> components, int slot, int slots, long atoms, int i, double re, double im)
    {
        if (slot < 0) return; // a degree in the recurrence that no feature asks for
        components[slot * atoms + i] += re;
        components[(slots + slot) * atoms + i] += im;
    }

    /// <summary>Atom i's row: q̄_lm over it and its defined neighbours, then q̄_l, ŵ_l and the coordination number.</summary>
    private static void Finish(Index1D index, ArrayView<int> offsets, ArrayView<int> neighbors, ArrayView<double> components,
        ArrayView<int> defined, ArrayView<double> averaged, ArrayView<int> degrees, ArrayView<int> terms, ArrayView<double> coefficients,
        ArrayView<double> features, Layout c)
    {
        int i = index;
        long atoms = c.Atoms, row = (long)i * c.Width;
        int slots = c.Slots, nd = c.Degrees, nw = c.WlColumns;
        int start = offsets[i], end = offsets[i + 1];
        for (int col = 0; col < c.Width; col++) features[row + col] = 0;
        if (c.Coordination >= 0) features[row + c.Coordination] = end - start;
        if (defined[i] == 0) return;

        int members = 1;
        if (c.Average != 0)
            for (int p = start; p < end; p++)
                if (defined[neighbors[p]] != 0) members++;
        double inv = 1.0 / members;
        for (int s = 0; s < 2 * slots; s++)
        {
            double sum = components[s * atoms + i];
            if (c.Average != 0)
                for (int p = start; p < end; p++)
                {
                    int j = neighbors[p];
                    if (defined[j] != 0) sum += components[s * atoms + j];
                }
            averaged[s * atoms + i] = sum * inv;
        }

        for (int d = 0; d < nd; d++)
            features[row + d] = SteinhardtMath.Ql(degrees[d], SumOfSquares(averaged, degrees[nd + d], degrees[d], slots, atoms, i));
        for (int w = 0; w < nw; w++)
        {
            int d = degrees[2 * nd + w], l = degrees[d], first = degrees[nd + d];
            double sum = SumOfSquares(averaged, first, l, slots, atoms, i);
            double wl = 0;
            for (int t = degrees[2 * nd + nw + w], last = t + degrees[2 * nd + 2 * nw + w]; t < last; t++)
            {
                int m1 = terms[2 * t], m2 = terms[2 * t + 1], m3 = -m1 - m2;
                wl += SteinhardtMath.TripleProduct(coefficients[t],
                    Re(averaged, first, m1, atoms, i), Im(averaged, first, m1, slots, atoms, i),
                    Re(averaged, first, m2, atoms, i), Im(averaged, first, m2, slots, atoms, i),
                    Re(averaged, first, m3, atoms, i), Im(averaged, first, m3, slots, atoms, i));
            }
            features[row + nd + w] = SteinhardtMath.WlHat(SteinhardtMath.Ql(l, sum), wl, sum);
        }
    }

    /// <summary>Σ_{m=−l..l} |q_lm|² of the degree whose m ≥ 0 components start at slot <paramref name="first"/>.</summary>
    private static double SumOfSquares(ArrayView<double> q, int first, int l, int slots, long atoms, int i)
    {
        double re = q[first * atoms + i], im = q[(slots + first) * atoms + i];
        double sum = re * re + im * im;
        for (int m = 1; m <= l; m++)
        {
            re = q[(first + m) * atoms + i];
            im = q[(slots + first + m) * atoms + i];
            sum += 2 * (re * re + im * im);
        }
        return sum;
    }

    /// <summary>Re q_lm for any m, from the stored m ≥ 0 (q_l,−m = (−1)^m q_lm*).</summary>
    private static double Re(ArrayView<double> q, int first, int m, long atoms, int i) =>
        m >= 0 ? q[(first + m) * atoms + i] : SteinhardtMath.ConjugateSign(-m) * q[(first - m) * atoms + i];

    /// <summary>Im q_lm for any m.</summary>
    private static double Im(ArrayView<double> q, int first, int m, int slots, long atoms, int i) =>
        m >= 0 ? q[(slots + first + m) * atoms + i] : -SteinhardtMath.ConjugateSign(-m) * q[(slots + first - m) * atoms + i];
}
