using ILGPU;
using ILGPU.Runtime;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Core;

namespace StreamMonitor.Classification.Gpu;

/// <summary>
/// Every neighbour within a cutoff (every periodic image in range) of every atom of a frame, found on the device with
/// the cell list of <see cref="NeighborQuery"/>: the same grid along the lattice directions, the same stencil with
/// explicit lattice shifts (so orthogonal, triclinic and small boxes are all exact), the same arithmetic for the wrapped
/// positions and the pair distances, and each list sorted by distance with ties by index. On ILGPU's CPU accelerator
/// the list therefore equals <see cref="NeighborQuery.WithinCutoff"/>'s entry for entry; on a GPU a fused multiply–add
/// may move a displacement by one unit in its last place.
/// </summary>
/// <remarks>
/// <para>
/// Steps, all on the device: bin each atom into its cell and count the cells (atomic adds); scan the counts into cell
/// starts (<see cref="DeviceScan"/>); scatter the atoms into cell order (a counting sort); per atom, visit the stencil's
/// cells and insert every neighbour in range into a fixed-size sorted list (<see cref="Capacity"/> entries, laid out
/// entry-major so that neighbouring threads touch neighbouring addresses); scan the counts into row offsets and compact
/// the lists into compressed rows. An atom with more neighbours than the capacity raises the capacity to the largest
/// count and the search of that frame runs again, so no neighbour is ever dropped; the capacity then stays.
/// </para>
/// <para>
/// Device arrays live across frames and grow only when a frame needs more. Not thread-safe: its owner serialises calls.
/// </para>
/// </remarks>
internal sealed class IlgpuNeighborSearch : IDisposable
{
    /// <summary>Entries kept per atom before the first frame; the first-shell lists of dense liquids and crystals fit.</summary>
    public const int InitialCapacity = 32;

    private readonly Accelerator _accelerator;
    private readonly DeviceScan _scan;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<int>, ArrayView<int>, Geometry> _bin;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<double>, ArrayView<int>, ArrayView<double>> _scatter;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<double>, ArrayView<int>, ArrayView<int>, ArrayView<double>, ArrayView<int>,
        ArrayView<double>, ArrayView<float>, ArrayView<int>, ArrayView<int>, Geometry> _gather;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<double>, ArrayView<float>, ArrayView<int>,
        ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Geometry> _compact;
    private readonly DeviceBuffer<float> _x, _y, _z;
    private readonly DeviceBuffer<double> _wrapped;       // by atom: x, y, z in the cell
    private readonly DeviceBuffer<int> _cellOf;           // by atom
    private readonly DeviceBuffer<int> _cellCounts, _cellStart, _cellFill;
    private readonly DeviceBuffer<int> _sortedIndex;      // atoms in cell order
    private readonly DeviceBuffer<double> _sorted;        // their wrapped positions, x, y, z
    private readonly DeviceBuffer<int> _candidateIndex;   // entry k of atom i at k · atoms + i
    private readonly DeviceBuffer<double> _candidateR2;
    private readonly DeviceBuffer<float> _candidateD;     // component c of entry k of atom i at (c · capacity + k) · atoms + i
    private readonly DeviceBuffer<int> _counts, _maxCount, _offsets, _index;
    private readonly DeviceBuffer<float> _dx, _dy, _dz, _distance;
    private readonly IDisposable[] _buffers;

    public IlgpuNeighborSearch(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _x = new(accelerator);
        _y = new(accelerator);
        _z = new(accelerator);
        _wrapped = new(accelerator);
        _cellOf = new(accelerator);
        _cellCounts = new(accelerator);
        _cellStart = new(accelerator);
        _cellFill = new(accelerator);
        _sortedIndex = new(accelerator);
        _sorted = new(accelerator);
        _candidateIndex = new(accelerator);
        _candidateR2 = new(accelerator);
        _candidateD = new(accelerator);
        _counts = new(accelerator);
        _maxCount = new(accelerator);
        _offsets = new(accelerator);
        _index = new(accelerator);
        _dx = new(accelerator);
        _dy = new(accelerator);
        _dz = new(accelerator);
        _distance = new(accelerator);
        _scan = new DeviceScan(accelerator);
        _buffers = [_x, _y, _z, _wrapped, _cellOf, _cellCounts, _cellStart, _cellFill, _sortedIndex, _sorted, _candidateIndex, _candidateR2,
            _candidateD, _counts, _maxCount, _offsets, _index, _dx, _dy, _dz, _distance, _scan];
        try
        {
            _bin = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>,
                ArrayView<int>, ArrayView<int>, Geometry>(Bin);
            _scatter = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<double>,
                ArrayView<int>, ArrayView<double>>(Scatter);
            _gather = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<double>, ArrayView<int>, ArrayView<int>,
                ArrayView<double>, ArrayView<int>, ArrayView<double>, ArrayView<float>, ArrayView<int>, ArrayView<int>, Geometry>(Gather);
            _compact = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<double>,
                ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Geometry>(Compact);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Neighbours each atom's sorted list holds during the search; raised by a frame that needs more.</summary>
    public int Capacity { get; private set; } = InitialCapacity;

    /// <summary>
    /// The neighbours of every atom of <paramref name="frame"/> closer than <paramref name="cutoff"/>, as compressed rows
    /// on the device (valid until the next call). The frame must have a periodic cell and at least one atom.
    /// </summary>
    public DeviceNeighbors Find(Frame frame, double cutoff)
    {
        int n = frame.AtomCount;
        if (n == 0) throw new ArgumentException("the device neighbour search needs at least one atom", nameof(frame));
        if (!(cutoff > 0)) throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "must be positive");
        var cell = new PeriodicCell(frame.Box);
        ReadOnlySpan<float> x = frame.X, y = frame.Y, z = frame.Z;
        for (int i = 0; i < n; i++)
            if (!float.IsFinite(x[i]) || !float.IsFinite(y[i]) || !float.IsFinite(z[i]))
                throw new ArgumentException($"particle {i} has a non-finite position");
        var g = Geometry.Of(cell, cutoff, n, Capacity);
        int cells = g.Na * g.Nb * g.Nc;

        var cellCounts = _cellCounts.Reserve(cells);
        cellCounts.SubView(0, cells).MemSetToZero();
        _bin(n, _x.Upload(x), _y.Upload(y), _z.Upload(z), _wrapped.Reserve(3L * n), _cellOf.Reserve(n), cellCounts, g);
        var cellStart = _cellStart.Reserve(cells + 1);
        _scan.Exclusive(cellCounts, cellStart, cells);
        var fill = _cellFill.Reserve(cells);
        fill.SubView(0, cells).MemSetToZero();
        _scatter(n, _cellOf.View, cellStart, fill, _wrapped.View, _sortedIndex.Reserve(n), _sorted.Reserve(3L * n));

        var counts = _counts.Reserve(n);
        var maxCount = _maxCount.Reserve(1);
        var largest = new int[1];
        while (true)
        {
            maxCount.SubView(0, 1).MemSetToZero();
            _gather(n, _cellOf.View, _wrapped.View, cellStart, _sortedIndex.View, _sorted.View, _candidateIndex.Reserve((long)Capacity * n),
                _candidateR2.Reserve((long)Capacity * n), _candidateD.Reserve(3L * Capacity * n), counts, maxCount, g);
            _accelerator.Synchronize();
            _maxCount.Download(largest);
            if (largest[0] <= Capacity) break;
            Capacity = largest[0];
            g = Geometry.Of(cell, cutoff, n, Capacity);
        }

        var offsets = _offsets.Reserve(n + 1);
        _scan.Exclusive(counts, offsets, n);
        int pairs = DeviceScan.Total(offsets, n);
        var list = new DeviceNeighbors(n, pairs, offsets, _index.Reserve(pairs), _dx.Reserve(pairs), _dy.Reserve(pairs), _dz.Reserve(pairs),
            _distance.Reserve(pairs));
        _compact(n, counts, offsets, _candidateIndex.View, _candidateR2.View, _candidateD.View, list.Index, list.Dx, list.Dy, list.Dz, list.Distance, g);
        return list;
    }

    /// <summary>The list of the last <see cref="Find"/> copied to the host, as <see cref="NeighborQuery.WithinCutoff"/> returns it.</summary>
    public NeighborList Download(DeviceNeighbors list, double cutoff)
    {
        _accelerator.Synchronize();
        var offsets = new int[list.Count + 1];
        var index = new int[list.Pairs];
        var dx = new float[list.Pairs];
        var dy = new float[list.Pairs];
        var dz = new float[list.Pairs];
        var distance = new float[list.Pairs];
        _offsets.Download(offsets);
        _index.Download(index);
        _dx.Download(dx);
        _dy.Download(dy);
        _dz.Download(dz);
        _distance.Download(distance);
        return new NeighborList(offsets, index, dx, dy, dz, distance, cutoff, requested: null);
    }

    public void Dispose()
    {
        foreach (var b in _buffers) b.Dispose();
    }

    /// <summary>A neighbour list on the device in compressed rows, as <see cref="NeighborList"/> holds it on the host.</summary>
    internal readonly record struct DeviceNeighbors(int Count, int Pairs, ArrayView<int> Offsets, ArrayView<int> Index,
        ArrayView<float> Dx, ArrayView<float> Dy, ArrayView<float> Dz, ArrayView<float> Distance);

    /// <summary>The cell, its grid and stencil, and the sizes the kernels need.</summary>
    internal struct Geometry
    {
        public double Ax, Ay, Az, Bx, By, Bz, Cx, Cy, Cz;   // lattice vectors
        public double Ox, Oy, Oz;                           // origin
        public double IAx, IAy, IAz, IBx, IBy, IBz, ICx, ICy, ICz; // reciprocal vectors
        public int Na, Nb, Nc;                              // cells along a, b, c
        public int Ra, Rb, Rc;                              // stencil reach along a, b, c
        public int Atoms, Capacity;
        public double Cutoff2;

        public static Geometry Of(PeriodicCell cell, double cutoff, int atoms, int capacity)
        {
            var box = cell.Box;
            var (ia, ib, ic) = cell.Reciprocal;
            var w = cell.Widths;
            // The grid and stencil of NeighborQuery with its cell size equal to the cutoff, as the CPU featurizer builds it.
            int na = NeighborQuery.CellsAlong(w.X, cutoff, atoms), nb = NeighborQuery.CellsAlong(w.Y, cutoff, atoms), nc = NeighborQuery.CellsAlong(w.Z, cutoff, atoms);
            return new Geometry
            {
                Ax = box.A.X, Ay = box.A.Y, Az = box.A.Z, Bx = box.B.X, By = box.B.Y, Bz = box.B.Z, Cx = box.C.X, Cy = box.C.Y, Cz = box.C.Z,
                Ox = box.Origin.X, Oy = box.Origin.Y, Oz = box.Origin.Z,
                IAx = ia.X, IAy = ia.Y, IAz = ia.Z, IBx = ib.X, IBy = ib.Y, IBz = ib.Z, ICx = ic.X, ICy = ic.Y, ICz = ic.Z,
                Na = na, Nb = nb, Nc = nc,
                Ra = NeighborQuery.StencilReach(cutoff, na, w.X), Rb = NeighborQuery.StencilReach(cutoff, nb, w.Y), Rc = NeighborQuery.StencilReach(cutoff, nc, w.Z),
                Atoms = atoms, Capacity = capacity, Cutoff2 = cutoff * cutoff,
            };
        }
    }

    /// <summary>Wraps atom i into the cell and counts it in its cell (NeighborQuery's constructor, per atom).</summary>
    private static void Bin(Index1D index, ArrayView<float> x, ArrayView<float> y, ArrayView<float> z, ArrayView<double> wrapped,
        ArrayView<int> cellOf, ArrayView<int> cellCounts, Geometry g)
    {
        int i = index;
        double rx = x[i], ry = y[i], rz = z[i];
        double dx = rx - g.Ox, dy = ry - g.Oy, dz = rz - g.Oz;
        double sa = g.IAx * dx + g.IAy * dy + g.IAz * dz;
        double sb = g.IBx * dx + g.IBy * dy + g.IBz * dz;
        double sc = g.ICx * dx + g.ICy * dy + g.ICz * dz;
        double fa = KernelMath.Floor(sa), fb = KernelMath.Floor(sb), fc = KernelMath.Floor(sc);
        wrapped[3L * i] = rx - (fa * g.Ax + fb * g.Bx + fc * g.Cx);
        wrapped[3L * i + 1] = ry - (fa * g.Ay + fb * g.By + fc * g.Cy);
        wrapped[3L * i + 2] = rz - (fa * g.Az + fb * g.Bz + fc * g.Cz);
        int ca = CellIndex((sa - fa) * g.Na, g.Na), cb = CellIndex((sb - fb) * g.Nb, g.Nb), cc = CellIndex((sc - fc) * g.Nc, g.Nc);
        int c = (ca * g.Nb + cb) * g.Nc + cc;
        cellOf[i] = c;
        Atomic.Add(ref cellCounts[c], 1);
    }

    /// <summary>The cell of a scaled fractional coordinate, clamped to the grid (rounding can put it on the far face).</summary>
    private static int CellIndex(double scaled, int cells)
    {
        int c = (int)scaled;
        return c < 0 ? 0 : c > cells - 1 ? cells - 1 : c;
    }

    /// <summary>Puts atom i at its place in cell order: the start of its cell plus a slot taken atomically.</summary>
    private static void Scatter(Index1D index, ArrayView<int> cellOf, ArrayView<int> cellStart, ArrayView<int> fill, ArrayView<double> wrapped,
        ArrayView<int> sortedIndex, ArrayView<double> sorted)
    {
        int i = index;
        int c = cellOf[i];
        int k = cellStart[c] + Atomic.Add(ref fill[c], 1);
        sortedIndex[k] = i;
        sorted[3L * k] = wrapped[3L * i];
        sorted[3L * k + 1] = wrapped[3L * i + 1];
        sorted[3L * k + 2] = wrapped[3L * i + 2];
    }

    /// <summary>
    /// Atom i's neighbours over the stencil (NeighborQuery.Gather), kept sorted by distance, ties by index, in its list of
    /// <see cref="Geometry.Capacity"/> entries; counts[i] is how many there are, even beyond the capacity.
    /// </summary>
    private static void Gather(Index1D index, ArrayView<int> cellOf, ArrayView<double> wrapped, ArrayView<int> cellStart,
        ArrayView<int> sortedIndex, ArrayView<double> sorted, ArrayView<int> candidateIndex, ArrayView<double> candidateR2,
        ArrayView<float> candidateD, ArrayView<int> counts, ArrayView<int> maxCount, Geometry g)
    {
        int i = index;
        long atoms = g.Atoms, capacity = g.Capacity;
        int home = cellOf[i];
        int ca = home / (g.Nb * g.Nc), cb = home / g.Nc % g.Nb, cc = home % g.Nc;
        double xi = wrapped[3L * i], yi = wrapped[3L * i + 1], zi = wrapped[3L * i + 2];
        int total = 0, kept = 0;
        for (int da = -g.Ra; da <= g.Ra; da++)
        {
            int a = ca + da, sa = NeighborQuery.FloorDiv(a, g.Na);
            a -= sa * g.Na;
            for (int db = -g.Rb; db <= g.Rb; db++)
            {
                int b = cb + db, sb = NeighborQuery.FloorDiv(b, g.Nb);
                b -= sb * g.Nb;
                for (int dc = -g.Rc; dc <= g.Rc; dc++)
                {
                    int c = cc + dc, sc = NeighborQuery.FloorDiv(c, g.Nc);
                    c -= sc * g.Nc;
                    bool unshifted = sa == 0 && sb == 0 && sc == 0;
                    double shx = sa * g.Ax + sb * g.Bx + sc * g.Cx - xi;
                    double shy = sa * g.Ay + sb * g.By + sc * g.Cy - yi;
                    double shz = sa * g.Az + sb * g.Bz + sc * g.Cz - zi;
                    int cell = (a * g.Nb + b) * g.Nc + c;
                    for (int s = cellStart[cell], end = cellStart[cell + 1]; s < end; s++)
                    {
                        double ex = sorted[3L * s] + shx, ey = sorted[3L * s + 1] + shy, ez = sorted[3L * s + 2] + shz;
                        double r2 = ex * ex + ey * ey + ez * ez;
                        if (r2 >= g.Cutoff2) continue;
                        int j = sortedIndex[s];
                        if (j == i && unshifted) continue;
                        total++;
                        if (kept == capacity) continue; // counted: the search runs again with room for it
                        // Insertion into the sorted prefix (NeighborQuery's order: distance, then index).
                        int pos = kept++;
                        for (; pos > 0; pos--)
                        {
                            long before = (pos - 1) * atoms + i;
                            double r2Before = candidateR2[before];
                            int jBefore = candidateIndex[before];
                            if (!(r2 < r2Before || (r2 == r2Before && j < jBefore))) break;
                            long at = pos * atoms + i;
                            candidateR2[at] = r2Before;
                            candidateIndex[at] = jBefore;
                            for (int k = 0; k < 3; k++)
                                candidateD[(k * capacity + pos) * atoms + i] = candidateD[(k * capacity + pos - 1) * atoms + i];
                        }
                        long slot = pos * atoms + i;
                        candidateR2[slot] = r2;
                        candidateIndex[slot] = j;
                        candidateD[pos * atoms + i] = (float)ex;
                        candidateD[(capacity + pos) * atoms + i] = (float)ey;
                        candidateD[(2 * capacity + pos) * atoms + i] = (float)ez;
                    }
                }
            }
        }
        counts[i] = total;
        Atomic.Max(ref maxCount[0], total);
    }

    /// <summary>Copies atom i's sorted list into its compressed row.</summary>
    private static void Compact(Index1D index, ArrayView<int> counts, ArrayView<int> offsets, ArrayView<int> candidateIndex,
        ArrayView<double> candidateR2, ArrayView<float> candidateD, ArrayView<int> neighbors, ArrayView<float> dx, ArrayView<float> dy,
        ArrayView<float> dz, ArrayView<float> distance, Geometry g)
    {
        int i = index;
        long atoms = g.Atoms, capacity = g.Capacity;
        int count = counts[i], row = offsets[i];
        for (int k = 0; k < count; k++)
        {
            long from = k * atoms + i;
            neighbors[row + k] = candidateIndex[from];
            distance[row + k] = (float)Math.Sqrt(candidateR2[from]);
            dx[row + k] = candidateD[from];
            dy[row + k] = candidateD[(capacity + k) * atoms + i];
            dz[row + k] = candidateD[(2 * capacity + k) * atoms + i];
        }
    }
}
