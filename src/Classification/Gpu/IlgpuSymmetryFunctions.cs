using ILGPU;
using ILGPU.Runtime;
using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Core;

namespace StreamMonitor.Classification.Gpu;

/// <summary>
/// The molecular symmetry functions of <see cref="MolecularSymmetryFunctions"/> with the sums over neighbours in an
/// ILGPU kernel: the same features (to about 1e-12 relative), the same result type, on a GPU when there is one.
/// </summary>
/// <remarks>
/// <para>
/// The CPU does what is cheap and irregular, exactly as <see cref="MolecularSymmetryFunctions.Compute(OrientedMolecules, NeighborList)"/>
/// does: the molecules, the cutoff checks and the cell-list neighbour list of the centers (compressed rows). The list's
/// displacements are single precision, so as on the CPU path each entry becomes the exact difference of the centers plus
/// a lattice shift; the shifts (whole lattice vectors, computed here from the float displacement) go to the device with
/// the list, and the kernel forms the differences itself.
/// </para>
/// <para>
/// The kernel runs one thread per molecule: it sums the cutoff-weighted S1–S4 terms over that molecule's neighbours, in
/// the list's order as the CPU does, into the molecule's row of the device feature array. The rows are accumulated in
/// device memory rather than registers because the number of functions is a runtime value. exp and cos come from
/// <see cref="KernelMath"/>, as a GPU has no double-precision versions of its own.
/// </para>
/// <para>
/// Device arrays live across frames and grow only when a frame needs more; calls are serialised, as they share them.
/// </para>
/// </remarks>
public sealed class IlgpuSymmetryFunctions : IDisposable
{
    private readonly MolecularSymmetryFunctions _host; // the checks and the neighbour list
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<int>, ArrayView<double>,
        ArrayView<int>, ArrayView<double>, ArrayView<double>, ArrayView<int>, Constants> _kernel;
    private readonly DeviceBuffer<int> _functionKinds;         // per function: vector (−1 radial), 1 for a Gaussian else 0
    private readonly DeviceBuffer<double> _functionParameters; // per function: center, width, kappa
    private readonly DeviceBuffer<double> _centers;            // per molecule: x, y, z
    private readonly DeviceBuffer<double> _units;              // unit vectors, molecule-major
    private readonly DeviceBuffer<int> _offsets;
    private readonly DeviceBuffer<int> _neighbors;
    private readonly DeviceBuffer<double> _shifts;             // per neighbour entry: x, y, z
    private readonly DeviceBuffer<double> _features;
    private readonly DeviceBuffer<int> _counts;
    private readonly DeviceBuffer<double>[] _doubleBuffers;
    private readonly DeviceBuffer<int>[] _intBuffers;
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Compiles the kernel and uploads the functions; the accelerator stays the caller's.</summary>
    /// <param name="allowMultipleImages">As for <see cref="MolecularSymmetryFunctions"/>: compute, rather than refuse, a cutoff beyond half the cell.</param>
    public IlgpuSymmetryFunctions(MolecularSymmetryFunctionParameters parameters, Accelerator accelerator, bool allowMultipleImages = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(accelerator);
        _host = new MolecularSymmetryFunctions(parameters, allowMultipleImages);
        _accelerator = accelerator;
        var functions = parameters.Functions;
        var kinds = new int[2 * functions.Count];
        var values = new double[3 * functions.Count];
        for (int f = 0; f < functions.Count; f++)
        {
            var s = functions[f];
            bool gaussian = s.Kind is SymmetryFunctionKind.RadialGaussian or SymmetryFunctionKind.OrientationGaussian;
            // Cosine arguments are κ r (r < r_max) or κ cos θ; KernelMath.Cos is exact only up to its limit.
            if (!gaussian && Math.Abs(s.Kappa) * Math.Max(parameters.CutoffMax, 1) > KernelMath.CosArgumentLimit)
                throw new ArgumentException($"{parameters.Name}: function {f + 1} ({s}) has κ too large for the GPU cosine");
            kinds[2 * f] = s.UsesVector ? s.Vector : -1;
            kinds[2 * f + 1] = gaussian ? 1 : 0;
            (values[3 * f], values[3 * f + 1], values[3 * f + 2]) = (s.Center, s.Width, s.Kappa);
        }

        _functionKinds = new DeviceBuffer<int>(accelerator);
        _functionParameters = new DeviceBuffer<double>(accelerator);
        _centers = new DeviceBuffer<double>(accelerator);
        _units = new DeviceBuffer<double>(accelerator);
        _offsets = new DeviceBuffer<int>(accelerator);
        _neighbors = new DeviceBuffer<int>(accelerator);
        _shifts = new DeviceBuffer<double>(accelerator);
        _features = new DeviceBuffer<double>(accelerator);
        _counts = new DeviceBuffer<int>(accelerator);
        _doubleBuffers = [_functionParameters, _centers, _units, _shifts, _features];
        _intBuffers = [_functionKinds, _offsets, _neighbors, _counts];
        try
        {
            _functionKinds.Upload(kinds);
            _functionParameters.Upload(values);
            _kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<int>,
                ArrayView<double>, ArrayView<int>, ArrayView<double>, ArrayView<double>, ArrayView<int>, Constants>(Kernel);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public MolecularSymmetryFunctionParameters Parameters => _host.Parameters;

    /// <summary>Whether a cutoff beyond half the cell (a molecule meeting its own images) is computed instead of refused.</summary>
    public bool AllowMultipleImages => _host.AllowMultipleImages;

    public int FeatureCount => _host.FeatureCount;

    /// <summary>The molecules of the frame by the parameters' atom roles, and their features.</summary>
    public MolecularSymmetryFunctionResult Compute(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Compute(OrientedMolecules.FromFrame(frame, Parameters.Roles, Parameters.Bonds));
    }

    /// <summary>
    /// Features of prepared molecules. <paramref name="neighbors"/>, when given, must be a cutoff list over the
    /// molecules' centers in their box with a cutoff of at least r_max; otherwise one is built.
    /// </summary>
    public MolecularSymmetryFunctionResult Compute(OrientedMolecules molecules, NeighborList? neighbors = null)
    {
        var (box, list) = _host.PrepareNeighbors(molecules, neighbors);
        int n = molecules.Count, nf = FeatureCount, pairs = list.PairCount;
        var centers = new double[3 * n];
        for (int i = 0; i < n; i++)
            (centers[3 * i], centers[3 * i + 1], centers[3 * i + 2]) = (molecules.CenterX[i], molecules.CenterY[i], molecules.CenterZ[i]);
        var shifts = new double[3 * pairs];
        if (molecules.Box.HasCell)
        {
            var cell = new PeriodicCell(box);
            for (int i = 0, entry = 0; i < n; i++)
            {
                var js = list.Neighbors(i);
                var fdx = list.Dx(i);
                var fdy = list.Dy(i);
                var fdz = list.Dz(i);
                for (int p = 0; p < js.Length; p++, entry++)
                {
                    int j = js[p];
                    var exact = new Vector3d(centers[3 * j] - centers[3 * i], centers[3 * j + 1] - centers[3 * i + 1], centers[3 * j + 2] - centers[3 * i + 2]);
                    var shift = cell.NearestLatticeVector(new Vector3d(fdx[p] - exact.X, fdy[p] - exact.Y, fdz[p] - exact.Z));
                    (shifts[3 * entry], shifts[3 * entry + 1], shifts[3 * entry + 2]) = (shift.X, shift.Y, shift.Z);
                }
            }
        }

        var features = new double[n * nf];
        var counts = new int[n];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var constants = new Constants(nf, molecules.VectorCount, Parameters.CutoffMin, Parameters.CutoffMax);
            _kernel(n, _centers.Upload(centers), _units.Upload(MolecularSymmetryFunctions.UnitVectors(molecules)), _offsets.Upload(list.Offsets),
                _neighbors.Upload(list.AllNeighbors), _shifts.Upload(shifts), _functionKinds.View, _functionParameters.View,
                _features.Reserve(features.Length), _counts.Reserve(n), constants);
            _accelerator.Synchronize();
            _features.Download(features);
            _counts.Download(counts);
        }
        return new MolecularSymmetryFunctionResult(molecules.Ids.ToArray(), molecules.CenterAtoms.ToArray(), counts, features, nf);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var b in _doubleBuffers) b.Dispose();
            foreach (var b in _intBuffers) b.Dispose();
        }
    }

    /// <summary>The sizes and cutoff a kernel needs besides the arrays.</summary>
    internal readonly struct Constants(int features, int vectors, double cutoffMin, double cutoffMax)
    {
        public readonly int Features = features;
        public readonly int Vectors = vectors;
        public readonly double CutoffMin = cutoffMin;
        public readonly double CutoffMax = cutoffMax;
    }

    /// <summary>One molecule's row: Σ over its neighbours within r_max of f_c(r) times each function's term.</summary>
    private static void Kernel(Index1D index, ArrayView<double> centers, ArrayView<double> units, ArrayView<int> offsets,
        ArrayView<int> neighbors, ArrayView<double> shifts, ArrayView<int> kinds, ArrayView<double> functions,
        ArrayView<double> features, ArrayView<int> counts, Constants c)
    {
        int i = index;
        int nf = c.Features, nv = c.Vectors;
        long row = (long)i * nf;
        for (int f = 0; f < nf; f++) features[row + f] = 0;
        double rmin = c.CutoffMin, rmax = c.CutoffMax;
        double xi = centers[3L * i], yi = centers[3L * i + 1], zi = centers[3L * i + 2];
        int count = 0;
        for (int p = offsets[i], end = offsets[i + 1]; p < end; p++)
        {
            int j = neighbors[p];
            double dx = centers[3L * j] - xi + shifts[3L * p];
            double dy = centers[3L * j + 1] - yi + shifts[3L * p + 1];
            double dz = centers[3L * j + 2] - zi + shifts[3L * p + 2];
            double r2 = dx * dx + dy * dy + dz * dz;
            if (r2 >= rmax * rmax) continue;
            count++;
            double r = Math.Sqrt(r2);
            double fc = r <= rmin ? 1.0 : 0.5 * (KernelMath.Cos((r - rmin) * Math.PI / (rmax - rmin)) + 1.0);
            for (int f = 0; f < nf; f++)
            {
                int v = kinds[2 * f];
                double x = r;
                if (v >= 0)
                {
                    long ui = ((long)i * nv + v) * 3, uj = ((long)j * nv + v) * 3;
                    x = units[ui] * units[uj] + units[ui + 1] * units[uj + 1] + units[ui + 2] * units[uj + 2];
                }
                double term;
                if (kinds[2 * f + 1] != 0)
                {
                    double d = x - functions[3 * f];
                    term = KernelMath.Exp(-functions[3 * f + 1] * d * d);
                }
                else term = KernelMath.Cos(functions[3 * f + 2] * x);
                features[row + f] += term * fc;
            }
        }
        counts[i] = count;
    }
}
