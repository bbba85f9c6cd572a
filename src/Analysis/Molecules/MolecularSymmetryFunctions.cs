using System.Runtime.Intrinsics;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// Molecular symmetry functions in the point-vector representation of Kuroshima, Kilgour, Tuckerman and Rogal (JCTC
/// 2024): each molecule is its center atom plus orientation vectors, and each feature sums one function over the
/// neighbour molecules within r_max, weighted by f_c = 1 up to r_min and ½[cos(π(r − r_min)/(r_max − r_min)) + 1] up
/// to r_max (see <see cref="SymmetryFunctionKind"/> for S1–S4). With the published parameter sets the 24 features are
/// S1 ×4, S3 on v1 ×4, S3 on v2 ×4, S2 ×4, S4 on v1 ×4, S4 on v2 ×4.
/// </summary>
/// <remarks>
/// <para>
/// Like freud's computes: the constructor takes the parameters, <see cref="Compute(Frame)"/> the frame, the result is
/// immutable, and one instance may serve many runs and threads at once.
/// </para>
/// <para>
/// Conventions follow the reference program (rogalj/MolStrucClassifier molvec_lib ver2.0): cos θ between the same vector
/// of molecules I and J (dot product over the product of the lengths), S2/S4 as cos(κ·x) with no normalisation, the
/// neighbour at exactly r_max contributing f_c = 0. Two things differ on purpose. Periodic geometry is the correct
/// LAMMPS triclinic cell (the reference subtracts the xy tilt where yz belongs and vice versa, which changes the
/// features of most molecules of a tilted cell), and every periodic image within r_max is a neighbour (the reference
/// takes the nearest image only and refuses boxes with an edge below 2 (r_max + 2)). By default a cutoff beyond half
/// the narrowest cell width is refused all the same: a molecule would then see its own images, which no training set
/// contains; <c>allowMultipleImages</c> lifts that.
/// </para>
/// <para>
/// Neighbours come from the cell-list <see cref="NeighborQuery"/> on the centers. Its displacements are single
/// precision; each is replaced by the exact double-precision difference of the centers plus the lattice shift it
/// implies, so features do not depend on the float rounding of the list.
/// </para>
/// <para>
/// The cost is one exp or cos per function per neighbour pair (24 × ~60 per urea molecule). The functions are
/// evaluated four at a time with <see cref="Vector256"/> exp/cos (Gaussians and cosines in separate groups, each lane
/// reading r or the cos θ of its vector), which is several times faster than the scalar <see cref="Math.Exp"/> loop and
/// as accurate (within an ulp or two); the scalar loop remains for hardware without 256-bit vectors. Rows are written
/// by one thread each, in parallel over chunks of molecules for large frames; nothing is allocated per molecule.
/// </para>
/// </remarks>
public sealed class MolecularSymmetryFunctions
{
    /// <summary>Below this many molecules one thread is faster than splitting the work.</summary>
    private const int ParallelThreshold = 256;

    private const int ChunkSize = 32;

    // The functions as flat arrays: the inner loop reads them for every neighbour.
    private readonly int[] _vector;
    private readonly bool[] _gaussian;
    private readonly double[] _center;
    private readonly double[] _width;
    private readonly double[] _kappa;

    // The same functions in groups of four lanes for the vector path: Gaussian groups first, then cosine groups.
    // Per lane: which argument it reads (0 = r, 1 + v = cos θ of vector v) and which feature it fills (-1 = padding).
    private readonly int _gaussianGroups;
    private readonly int[] _laneArgument;
    private readonly int[] _laneFeature;
    private readonly Vector256<double>[] _groupA; // c (Gaussian) or κ (cosine)
    private readonly Vector256<double>[] _groupB; // η (Gaussian)
    private readonly CoreBudget _cores;

    /// <param name="cores">The budget its parallel loops borrow idle cores from; null for <see cref="CoreBudget.Shared"/>.</param>
    public MolecularSymmetryFunctions(MolecularSymmetryFunctionParameters parameters, bool allowMultipleImages = false, CoreBudget? cores = null)
        : this(parameters, allowMultipleImages, Vector256.IsHardwareAccelerated, cores)
    {
    }

    /// <param name="useVectors">false forces the scalar loop (tests compare the two).</param>
    internal MolecularSymmetryFunctions(MolecularSymmetryFunctionParameters parameters, bool allowMultipleImages, bool useVectors,
        CoreBudget? cores = null)
    {
        _cores = cores ?? CoreBudget.Shared;
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        AllowMultipleImages = allowMultipleImages;
        UsesVectors = useVectors;
        var f = parameters.Functions;
        _vector = f.Select(s => s.UsesVector ? s.Vector : -1).ToArray();
        _gaussian = f.Select(s => s.Kind is SymmetryFunctionKind.RadialGaussian or SymmetryFunctionKind.OrientationGaussian).ToArray();
        _center = f.Select(s => s.Center).ToArray();
        _width = f.Select(s => s.Width).ToArray();
        _kappa = f.Select(s => s.Kappa).ToArray();

        var gaussians = Enumerable.Range(0, f.Count).Where(i => _gaussian[i]).ToArray();
        var cosines = Enumerable.Range(0, f.Count).Where(i => !_gaussian[i]).ToArray();
        _gaussianGroups = (gaussians.Length + 3) / 4;
        int groups = _gaussianGroups + (cosines.Length + 3) / 4;
        _laneArgument = new int[groups * 4];
        _laneFeature = new int[groups * 4];
        _groupA = new Vector256<double>[groups];
        _groupB = new Vector256<double>[groups];
        Array.Fill(_laneFeature, -1);
        Span<double> a = stackalloc double[4];
        Span<double> b = stackalloc double[4];
        for (int g = 0; g < groups; g++)
        {
            bool gaussian = g < _gaussianGroups;
            var members = gaussian ? gaussians.AsSpan(4 * g) : cosines.AsSpan(4 * (g - _gaussianGroups));
            a.Clear();
            b.Clear(); // padding lanes compute exp(0) or cos(0) and are never read
            for (int lane = 0; lane < Math.Min(4, members.Length); lane++)
            {
                int i = members[lane];
                _laneArgument[4 * g + lane] = _vector[i] + 1;
                _laneFeature[4 * g + lane] = i;
                a[lane] = gaussian ? _center[i] : _kappa[i];
                b[lane] = _width[i];
            }
            _groupA[g] = Vector256.Create<double>(a);
            _groupB[g] = Vector256.Create<double>(b);
        }
    }

    /// <summary>Whether the four-lane vector path is used (256-bit vector hardware).</summary>
    internal bool UsesVectors { get; }

    public MolecularSymmetryFunctionParameters Parameters { get; }

    /// <summary>Whether a cutoff beyond half the cell (a molecule meeting its own images) is computed instead of refused.</summary>
    public bool AllowMultipleImages { get; }

    public int FeatureCount => _vector.Length;

    /// <summary>The molecules of the frame by the parameters' atom roles, and their features.</summary>
    public MolecularSymmetryFunctionResult Compute(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Compute(OrientedMolecules.FromFrame(frame, Parameters.Roles, Parameters.Bonds, _cores));
    }

    /// <summary>
    /// Features of prepared molecules. <paramref name="neighbors"/>, when given, must be a cutoff list over the
    /// molecules' centers in their box with a cutoff of at least r_max; otherwise one is built.
    /// </summary>
    public MolecularSymmetryFunctionResult Compute(OrientedMolecules molecules, NeighborList? neighbors = null)
    {
        var (box, list) = PrepareNeighbors(molecules, neighbors);
        int n = molecules.Count;
        int nf = FeatureCount;
        var features = new double[n * nf];
        var counts = new int[n];
        var work = new Work(this, molecules, list, box, features, counts);
        int chunks = (n + ChunkSize - 1) / ChunkSize;
        if (n < ParallelThreshold)
            work.Run(0, n);
        else
            _cores.For(chunks, c => work.Run(c * ChunkSize, Math.Min(n, (c + 1) * ChunkSize)));
        return new MolecularSymmetryFunctionResult(molecules.Ids.ToArray(), molecules.CenterAtoms.ToArray(), counts, features, nf);
    }

    /// <summary>
    /// The checks and the CPU part of a compute, shared with engines that evaluate the functions elsewhere (the ILGPU
    /// kernel): refuses molecules or a cell the parameters cannot serve, and returns the box the geometry uses (the
    /// frame's cell, or an open box enclosing the centers) and the cutoff list over the centers (built when not given).
    /// </summary>
    internal (SimulationBox Box, NeighborList Neighbors) PrepareNeighbors(OrientedMolecules molecules, NeighborList? neighbors)
    {
        ArgumentNullException.ThrowIfNull(molecules);
        if (molecules.VectorCount < Parameters.Roles.Vectors.Count)
            throw new ArgumentException($"the molecules have {molecules.VectorCount} vectors, the functions use {Parameters.Roles.Vectors.Count}");
        CheckCutoff(molecules.Box);
        int n = molecules.Count;
        double rmax = Parameters.CutoffMax;
        var box = molecules.Box.HasCell ? molecules.Box : OpenBoundary.Enclosing(molecules.CenterX, molecules.CenterY, molecules.CenterZ, rmax);
        if (neighbors is null)
        {
            var x = new float[n];
            var y = new float[n];
            var z = new float[n];
            for (int i = 0; i < n; i++)
                (x[i], y[i], z[i]) = ((float)molecules.CenterX[i], (float)molecules.CenterY[i], (float)molecules.CenterZ[i]);
            // A little beyond r_max: the list decides on float positions, the features on exact ones.
            double search = rmax * (1 + 1e-5) + 1e-4;
            // Cells of half the cutoff: fewer candidates to test than cells as wide as the cutoff.
            using var query = new NeighborQuery(box, x, y, z, search / 2, _cores);
            neighbors = query.WithinCutoff(search);
        }
        else if (neighbors.Count != n || neighbors.RequestedNeighbors is not null || neighbors.Cutoff < rmax)
            throw new ArgumentException($"the neighbour list must be a cutoff list over the {n} molecule centers reaching at least r_max = {rmax}");
        return (box, neighbors);
    }

    /// <summary>The molecules' orientation vectors scaled to unit length, molecule-major like <see cref="OrientedMolecules.Vectors"/>.</summary>
    internal static double[] UnitVectors(OrientedMolecules molecules)
    {
        var units = molecules.Vectors.ToArray();
        for (int o = 0; o < units.Length; o += 3)
        {
            double length = Math.Sqrt(units[o] * units[o] + units[o + 1] * units[o + 1] + units[o + 2] * units[o + 2]);
            units[o] /= length;
            units[o + 1] /= length;
            units[o + 2] /= length;
        }
        return units;
    }

    private void CheckCutoff(SimulationBox box)
    {
        if (AllowMultipleImages || !box.HasCell) return;
        var cell = new PeriodicCell(box);
        if (Parameters.CutoffMax > cell.MaxMinimumImageCutoff)
            throw new ArgumentException(
                $"the symmetry-function cutoff r_max = {Parameters.CutoffMax:G6} ({Parameters.Name}) is larger than half the box " +
                $"({cell.MaxMinimumImageCutoff:G6}, half the narrowest cell width): molecules would meet their own periodic images");
    }

    /// <summary>One frame's shared inputs and outputs; <see cref="Run"/> fills the rows of a range of molecules.</summary>
    private sealed class Work
    {
        private readonly MolecularSymmetryFunctions _owner;
        private readonly NeighborList _list;
        private readonly double[] _cx, _cy, _cz;
        private readonly double[] _units; // unit vectors, molecule-major
        private readonly int _vectors;
        private readonly double[] _features;
        private readonly int[] _counts;
        private readonly PeriodicCell? _cell; // null for open boundaries
        private readonly double _rmin, _rmax;

        public Work(MolecularSymmetryFunctions owner, OrientedMolecules molecules, NeighborList list, SimulationBox box, double[] features, int[] counts)
        {
            _owner = owner;
            _list = list;
            (_rmin, _rmax) = (owner.Parameters.CutoffMin, owner.Parameters.CutoffMax);
            _cx = molecules.CenterX.ToArray();
            _cy = molecules.CenterY.ToArray();
            _cz = molecules.CenterZ.ToArray();
            _vectors = molecules.VectorCount;
            _units = UnitVectors(molecules);
            _features = features;
            _counts = counts;
            _cell = molecules.Box.HasCell ? new PeriodicCell(box) : null;
        }

        public void Run(int start, int end)
        {
            if (_owner.UsesVectors) RunVectors(start, end);
            else RunScalar(start, end);
        }

        /// <summary>
        /// The exact displacement from molecule i to the image of j the list found: the plain difference of the centers
        /// plus the whole lattice vectors by which the list's (float) displacement differs from it.
        /// </summary>
        private (double X, double Y, double Z) Displacement(int i, int j, float fdx, float fdy, float fdz)
        {
            double dx = _cx[j] - _cx[i], dy = _cy[j] - _cy[i], dz = _cz[j] - _cz[i];
            if (_cell is null) return (dx, dy, dz);
            var shift = _cell.NearestLatticeVector(new Vector3d(fdx - dx, fdy - dy, fdz - dz));
            return (dx + shift.X, dy + shift.Y, dz + shift.Z);
        }

        /// <summary>r and the cosines between the vectors of i and j in <paramref name="arguments"/>; returns f_c, or -1 beyond r_max.</summary>
        private double Arguments(int i, int j, int p, ReadOnlySpan<float> fdx, ReadOnlySpan<float> fdy, ReadOnlySpan<float> fdz, Span<double> arguments)
        {
            var (dx, dy, dz) = Displacement(i, j, fdx[p], fdy[p], fdz[p]);
            double r2 = dx * dx + dy * dy + dz * dz;
            if (r2 >= _rmax * _rmax) return -1;
            double r = Math.Sqrt(r2);
            arguments[0] = r;
            int ui = i * _vectors * 3, uj = j * _vectors * 3;
            for (int v = 1; v <= _vectors; v++, ui += 3, uj += 3)
                arguments[v] = _units[ui] * _units[uj] + _units[ui + 1] * _units[uj + 1] + _units[ui + 2] * _units[uj + 2];
            return r <= _rmin ? 1.0 : 0.5 * (Math.Cos((r - _rmin) * Math.PI / (_rmax - _rmin)) + 1.0);
        }

        private void RunScalar(int start, int end)
        {
            var o = _owner;
            int nf = o._vector.Length;
            Span<double> arguments = stackalloc double[_vectors + 1];
            var vector = o._vector;
            var gaussian = o._gaussian;
            var center = o._center;
            var width = o._width;
            var kappa = o._kappa;
            for (int i = start; i < end; i++)
            {
                var row = _features.AsSpan(i * nf, nf);
                row.Clear();
                var neighbors = _list.Neighbors(i);
                var fdx = _list.Dx(i);
                var fdy = _list.Dy(i);
                var fdz = _list.Dz(i);
                int count = 0;
                for (int p = 0; p < neighbors.Length; p++)
                {
                    double fc = Arguments(i, neighbors[p], p, fdx, fdy, fdz, arguments);
                    if (fc < 0) continue;
                    count++;
                    for (int f = 0; f < nf; f++)
                    {
                        double x = arguments[vector[f] + 1];
                        double term;
                        if (gaussian[f])
                        {
                            double d = x - center[f];
                            term = Math.Exp(-width[f] * d * d);
                        }
                        else term = Math.Cos(kappa[f] * x);
                        row[f] += term * fc;
                    }
                }
                _counts[i] = count;
            }
        }

        private void RunVectors(int start, int end)
        {
            var o = _owner;
            int nf = o._vector.Length;
            int groups = o._groupA.Length, gaussianGroups = o._gaussianGroups;
            var lane = o._laneArgument;
            var feature = o._laneFeature;
            var ga = o._groupA;
            var gb = o._groupB;
            Span<double> arguments = stackalloc double[_vectors + 1];
            Span<Vector256<double>> sums = stackalloc Vector256<double>[groups];
            for (int i = start; i < end; i++)
            {
                sums.Clear();
                var neighbors = _list.Neighbors(i);
                var fdx = _list.Dx(i);
                var fdy = _list.Dy(i);
                var fdz = _list.Dz(i);
                int count = 0;
                for (int p = 0; p < neighbors.Length; p++)
                {
                    double fc = Arguments(i, neighbors[p], p, fdx, fdy, fdz, arguments);
                    if (fc < 0) continue;
                    count++;
                    var weight = Vector256.Create(fc);
                    int g = 0;
                    for (; g < gaussianGroups; g++)
                    {
                        int l = 4 * g;
                        var d = Vector256.Create(arguments[lane[l]], arguments[lane[l + 1]], arguments[lane[l + 2]], arguments[lane[l + 3]]) - ga[g];
                        sums[g] += Vector256.Exp(-(gb[g] * d * d)) * weight;
                    }
                    for (; g < groups; g++)
                    {
                        int l = 4 * g;
                        var x = Vector256.Create(arguments[lane[l]], arguments[lane[l + 1]], arguments[lane[l + 2]], arguments[lane[l + 3]]);
                        sums[g] += Vector256.Cos(ga[g] * x) * weight;
                    }
                }
                var row = _features.AsSpan(i * nf, nf);
                for (int l = 0; l < 4 * groups; l++)
                    if (feature[l] >= 0) row[feature[l]] = sums[l >> 2].GetElement(l & 3);
                _counts[i] = count;
            }
        }
    }
}
