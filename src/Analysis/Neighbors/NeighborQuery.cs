using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Neighbors;

/// <summary>
/// Finds neighbours of points in a periodic cell (orthogonal or triclinic) with a cell list. Cells are laid out along
/// the lattice directions, at least <c>cellSize</c> wide measured between lattice planes, so any point within a
/// cutoff lies in a bounded stencil of cells; the stencil wraps with explicit lattice shifts, which keeps small
/// boxes (a cutoff near, or beyond, half the box) exact: every periodic image in range is found.
/// Build once per frame; query as often as needed (thread-safe). Large queries run in parallel on the cores the
/// <see cref="CoreBudget"/> has idle. Disposing it hands its position arrays back to the shared pool for the next
/// frame's query (fresh pages for them on every frame cost more than the search fills them in); lists it built stay
/// valid, and a query not disposed is simply collected.
/// </summary>
public sealed class NeighborQuery : IDisposable
{
    private const int ParallelThreshold = 4096;
    private const int Padding = 8; // the widest vector of positions

    private readonly PeriodicCell _cell;
    private readonly int _count;
    private readonly int _na, _nb, _nc;
    private readonly int[] _cellStart;
    private readonly int[] _sortedIndex;
    private readonly double[] _sx, _sy, _sz; // wrapped positions in cell order, padded for whole-vector reads
    private readonly int[] _sortedCell;      // the cell of each position in cell order
    private readonly int _lanes; // distance tests at a time: 8 (AVX-512), 4 or 1
    private readonly CoreBudget _cores;
    private bool _disposed;

    /// <param name="cores">The budget its parallel loops borrow from; null for <see cref="CoreBudget.Shared"/>.</param>
    public NeighborQuery(SimulationBox box, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, double cellSize,
        CoreBudget? cores = null)
        : this(box, x, y, z, cellSize, cores, WidestLanes)
    {
    }

    /// <summary>The most distance tests this machine runs at a time: 8 with AVX-512, 4 with 256-bit vectors, else 1.</summary>
    internal static int WidestLanes =>
        Vector512.IsHardwareAccelerated && Avx512F.VL.IsSupported ? 8 : Vector256.IsHardwareAccelerated ? 4 : 1;

    /// <param name="lanes">
    /// Distance tests at a time: 1, 4 or 8, at most <see cref="WidestLanes"/>. Every width finds the same lists (the
    /// vectors run the scalar loop's operations in the same order).
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per frame over every particle, as the searches
    internal NeighborQuery(SimulationBox box, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, double cellSize,
        CoreBudget? cores, int lanes)
    {
        _cores = cores ?? CoreBudget.Shared;
        if (lanes is not (1 or 4 or 8) || lanes > WidestLanes)
            throw new ArgumentOutOfRangeException(nameof(lanes), lanes, $"1, 4 or 8, at most {WidestLanes} here");
        _lanes = lanes;
        if (x.Length != y.Length || x.Length != z.Length) throw new ArgumentException("x, y and z must have the same length");
        if (!(cellSize > 0)) throw new ArgumentOutOfRangeException(nameof(cellSize), cellSize, "must be positive");
        _cell = new PeriodicCell(box);
        _count = x.Length;
        var w = _cell.Widths;
        _na = CellsAlong(w.X, cellSize, _count);
        _nb = CellsAlong(w.Y, cellSize, _count);
        _nc = CellsAlong(w.Z, cellSize, _count);
        int cells = _na * _nb * _nc;

        // Rented, uncleared: every entry below the count is written before it is read.
        var wx = ArrayPool<double>.Shared.Rent(_count);
        var wy = ArrayPool<double>.Shared.Rent(_count);
        var wz = ArrayPool<double>.Shared.Rent(_count);
        var cellOf = ArrayPool<int>.Shared.Rent(_count);
        var perCell = new int[cells + 1];
        unsafe
        {
            fixed (float* px = x, py = y, pz = z)
            {
                // Addresses, not spans, cross into the parallel loop (the arrays stay pinned until it ends).
                nint ax = (nint)px, ay = (nint)py, az = (nint)pz;
                int chunks = _count < ParallelThreshold ? 1 : (_count + WrapChunk - 1) / WrapChunk;
                _cores.For(chunks, chunk =>
                {
                    int from = chunk * WrapChunk, length = Math.Min(_count, from + WrapChunk) - from;
                    Wrap(box, from, new ReadOnlySpan<float>((float*)ax + from, length), new ReadOnlySpan<float>((float*)ay + from, length),
                        new ReadOnlySpan<float>((float*)az + from, length), wx, wy, wz, cellOf);
                });
            }
        }
        _cellStart = perCell;
        _sortedIndex = new int[_count]; // not rented: a list in cell order keeps it as its order
        _sortedCell = ArrayPool<int>.Shared.Rent(_count);
        // The padding lets the last vector of a stretch read past its end; those lanes are masked off (zeros there, not
        // whatever a rented array held, keep the arithmetic on them ordinary).
        _sx = RentPadded();
        _sy = RentPadded();
        _sz = RentPadded();
        SortByCell(cellOf, wx, wy, wz, cells);
        ArrayPool<double>.Shared.Return(wx);
        ArrayPool<double>.Shared.Return(wy);
        ArrayPool<double>.Shared.Return(wz);
        ArrayPool<int>.Shared.Return(cellOf);
    }

    private double[] RentPadded()
    {
        var array = ArrayPool<double>.Shared.Rent(_count + Padding);
        Array.Clear(array, _count, Padding);
        return array;
    }

    /// <summary>Hands the position arrays back to the shared pool; the query answers nothing after it.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ArrayPool<double>.Shared.Return(_sx);
        ArrayPool<double>.Shared.Return(_sy);
        ArrayPool<double>.Shared.Return(_sz);
        ArrayPool<int>.Shared.Return(_sortedCell);
    }

    private const int SortParts = 4;

    /// <summary>
    /// Counting sort of the particles by cell into the cell-ordered arrays, in <see cref="SortParts"/> parts of the
    /// particles on the idle cores for large frames: each part counts its particles per cell, the counts give every
    /// part its places in each cell (after the earlier parts'), and each part fills its places in particle order. A
    /// cell's particles therefore come in particle order whatever the parts, as from one pass.
    /// </summary>
    private void SortByCell(int[] cellOf, double[] wx, double[] wy, double[] wz, int cells)
    {
        int parts = _count < ParallelThreshold ? 1 : SortParts;
        int per = (_count + parts - 1) / parts;
        var next = new int[parts][];
        _cores.For(parts, part =>
        {
            var counts = next[part] = new int[cells];
            for (int i = part * per, end = Math.Min(_count, i + per); i < end; i++) counts[cellOf[i]]++;
        });
        var perCell = _cellStart;
        int placed = 0;
        for (int c = 0; c < cells; c++)
        {
            perCell[c] = placed;
            for (int part = 0; part < parts; part++)
            {
                int count = next[part][c];
                next[part][c] = placed;
                placed += count;
            }
        }
        perCell[cells] = placed;
        _cores.For(parts, part =>
        {
            var at = next[part];
            for (int i = part * per, end = Math.Min(_count, i + per); i < end; i++)
            {
                int c = cellOf[i];
                int k = at[c]++;
                _sortedIndex[k] = i;
                _sortedCell[k] = c;
                _sx[k] = wx[i];
                _sy[k] = wy[i];
                _sz[k] = wz[i];
            }
        });
    }

    private const int WrapChunk = 65536;

    /// <summary>
    /// The positions of particles <paramref name="first"/> … wrapped into the cell, and their cells. PeriodicCell.ToFractional
    /// and Shift written out on scalars (the same operations in the same order, so the same wrapped positions): once per
    /// particle, and the first calls to the small vector methods would otherwise run unoptimised for most of a short run.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Wrap(SimulationBox box, int first, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z,
        double[] wx, double[] wy, double[] wz, int[] cellOf)
    {
        var (ra, rb, rc) = _cell.Reciprocal;
        var (va, vb, vc, origin) = (box.A, box.B, box.C, box.Origin);
        for (int k = 0; k < x.Length; k++)
        {
            int i = first + k;
            double rx = x[k], ry = y[k], rz = z[k];
            if (!double.IsFinite(rx) || !double.IsFinite(ry) || !double.IsFinite(rz))
                throw new ArgumentException($"particle {i} has a non-finite position");
            double dx = rx - origin.X, dy = ry - origin.Y, dz = rz - origin.Z;
            double sa = ra.X * dx + ra.Y * dy + ra.Z * dz;
            double sb = rb.X * dx + rb.Y * dy + rb.Z * dz;
            double sc = rc.X * dx + rc.Y * dy + rc.Z * dz;
            int fa = (int)Math.Floor(sa), fb = (int)Math.Floor(sb), fc = (int)Math.Floor(sc);
            wx[i] = rx - (fa * va.X + fb * vb.X + fc * vc.X);
            wy[i] = ry - (fa * va.Y + fb * vb.Y + fc * vc.Y);
            wz[i] = rz - (fa * va.Z + fb * vb.Z + fc * vc.Z);
            int ca = Math.Clamp((int)((sa - fa) * _na), 0, _na - 1);
            int cb = Math.Clamp((int)((sb - fb) * _nb), 0, _nb - 1);
            int cc = Math.Clamp((int)((sc - fc) * _nc), 0, _nc - 1);
            cellOf[i] = (ca * _nb + cb) * _nc + cc;
        }
    }

    /// <summary>A query over a frame's atoms.</summary>
    public static NeighborQuery FromFrame(Frame frame, double cellSize, CoreBudget? cores = null) =>
        new(frame.Box, frame.X, frame.Y, frame.Z, cellSize, cores);

    public PeriodicCell Cell => _cell;

    public int Count => _count;

    /// <summary>
    /// Every neighbour closer than <paramref name="cutoff"/> (every image in range), each list sorted by distance, or
    /// with <paramref name="sorted"/> false in the order the search met them (the same entries, for computes that sum
    /// over a whole list and so need no order: the sort is a good part of the search's cost).
    /// </summary>
    public NeighborList WithinCutoff(double cutoff, bool sorted = true)
    {
        if (!(cutoff > 0)) throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "must be positive");
        return Build(cutoff, k: 0, sorted, cellOrder: false);
    }

    /// <summary>
    /// Every neighbour closer than <paramref name="cutoff"/>, unsorted, with particles in cell order: row p is the
    /// particle <see cref="NeighborList.Order"/>[p] and neighbours are given by row. Particles close in space are close in
    /// the list, so a compute that reads its neighbours' values (averaging, clusters) reads nearby memory, and the rows
    /// are built without a scattered copy into particle order; the caller maps its results back through the order. The
    /// distances are not stored but worked out from the displacements when first asked for (the computes that read
    /// this list use the displacements).
    /// </summary>
    public NeighborList WithinCutoffInCellOrder(double cutoff)
    {
        if (!(cutoff > 0)) throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "must be positive");
        return Build(cutoff, k: 0, sorted: false, cellOrder: true);
    }

    /// <summary>
    /// How many neighbours (every image in range) each particle has closer than <paramref name="cutoff"/>: what
    /// <see cref="WithinCutoff"/> would list, counted without storing or sorting a pair, for wide radii on large frames.
    /// With <paramref name="only"/>, only the particles it selects are counted (the others get 0), at a cost in
    /// proportion to how many it selects; every particle still counts as a neighbour.
    /// </summary>
    /// <param name="limit">Stop counting a particle's neighbours once it has at least this many (its count is then
    /// somewhere from the limit up): for a threshold test, where only "fewer than the limit or not" matters.</param>
    public int[] CountWithin(double cutoff, bool[]? only = null, int limit = int.MaxValue)
    {
        if (!(cutoff > 0)) throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "must be positive");
        if (only is not null && only.Length != _count)
            throw new ArgumentException($"the selection has {only.Length} entries for {_count} particles", nameof(only));
        ObjectDisposedException.ThrowIf(_disposed, this);
        var stencil = StencilFor(cutoff);
        var counts = new int[_count];
        ForEachChunk((_, from, to) =>
        {
            // Nearest cells first: a count that stops at its limit reaches it after fewer distance tests.
            var runs = new StencilRuns(stencil, nearFirst: limit < int.MaxValue);
            for (int sorted = from; sorted < to; sorted++)
            {
                int i = _sortedIndex[sorted];
                if (only is not null && !only[i]) continue;
                var counter = new Counter(limit);
                Gather(sorted, cutoff * cutoff, RunsOf(sorted, ref runs), ref counter);
                counts[i] = counter.Count;
            }
        });
        return counts;
    }

    /// <summary>
    /// The <paramref name="k"/> nearest neighbours closer than <paramref name="cutoff"/>, sorted by distance; a particle
    /// with fewer than k in range gets all it has (as LAMMPS' <c>nnn</c> within its cutoff). Without a cutoff the
    /// search widens until every particle has k neighbours or the radius reaches the box size.
    /// </summary>
    /// <param name="sorted">
    /// False leaves a row that holds every candidate in range (k or fewer) in the order the search met them, for computes
    /// that sum over whole rows: the same entries, without most of the sorting (a row with more than k candidates is
    /// still sorted, to pick its k nearest).
    /// </param>
    public NeighborList Nearest(int k, double? cutoff = null, bool sorted = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (cutoff is { } rc)
        {
            if (!(rc > 0)) throw new ArgumentOutOfRangeException(nameof(cutoff), rc, "must be positive");
            return Build(rc, k, sorted, cellOrder: false);
        }
        if (_count <= k) throw new ArgumentException($"{k} nearest neighbours asked of only {_count} particles");
        // A sphere holding twice k particles at the mean density, then wider until everyone has k.
        double density = _count / Math.Abs(_cell.Box.Volume);
        double r = Math.Cbrt(3.0 * 2 * k / (4 * Math.PI * density));
        double limit = 2 * Math.Max(_cell.Widths.X, Math.Max(_cell.Widths.Y, _cell.Widths.Z));
        while (true)
        {
            var list = Build(r, k, sorted, cellOrder: false);
            bool complete = true;
            for (int i = 0; i < _count && complete; i++) complete = list.CountOf(i) >= k;
            if (complete || r >= limit) return list;
            r *= 1.5;
        }
    }

    private NeighborList Build(double cutoff, int k, bool sorted, bool cellOrder)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var stencil = StencilFor(cutoff);
        var parts = new ChunkResult[ChunkCount()];
        // Each particle's first entry, entry count and chunk: rented, uncleared (the search writes every particle's).
        var start = ArrayPool<int>.Shared.Rent(_count);
        var count = ArrayPool<int>.Shared.Rent(_count);
        var owner = ArrayPool<int>.Shared.Rent(_count);
        // Fully optimised from the first call: a frame runs it a few times over many particles, so the first, unoptimised
        // tier would do a large share of a short run's work (a command over a few frames).
        ForEachChunk([MethodImpl(MethodImplOptions.AggressiveOptimization)] (chunk, from, to) =>
        {
            var result = new ChunkResult(Math.Max(64, (to - from) * (k > 0 ? k : 16)), distances: !cellOrder);
            var scratch = new Candidates(64);
            var runs = new StencilRuns(stencil);
            for (int at = from; at < to; at++)
            {
                if (!sorted && k == 0)
                {
                    // Every candidate in range is kept, in the order met: straight into the chunk's entries.
                    int first = result.Count;
                    var sink = new Appender(result);
                    Gather(at, cutoff * cutoff, RunsOf(at, ref runs), ref sink, cellOrder);
                    int particle = cellOrder ? at : _sortedIndex[at];
                    (start[particle], count[particle], owner[particle]) = (first, result.Count - first, chunk);
                    continue;
                }
                scratch.Clear();
                Gather(at, cutoff * cutoff, RunsOf(at, ref runs), ref scratch, cellOrder);
                // Unsorted, only a row with more candidates than it keeps is sorted: to pick its k nearest.
                bool ordered = sorted || (k > 0 && scratch.Count > k);
                if (ordered) scratch.SortByDistance(k);
                int n = k > 0 ? Math.Min(k, scratch.Count) : scratch.Count;
                int i = cellOrder ? at : _sortedIndex[at];
                start[i] = result.Count;
                count[i] = n;
                owner[i] = chunk;
                result.Append(ref scratch, n, ordered);
            }
            parts[chunk] = result;
        });

        var offsets = new int[_count + 1];
        for (int i = 0; i < _count; i++) offsets[i + 1] = offsets[i] + count[i];
        var rows = new Rows(offsets, distances: !cellOrder);
        // In cell order each chunk's entries are already its rows, in order: one straight copy per chunk.
        if (cellOrder) ForEachChunk((chunk, from, _) => rows.Copy(offsets[from], parts[chunk]));
        else ForEachChunk((_, from, to) => rows.Fill(from, to, parts, owner, start));
        foreach (var part in parts) part.Dispose();
        ArrayPool<int>.Shared.Return(start);
        ArrayPool<int>.Shared.Return(count);
        ArrayPool<int>.Shared.Return(owner);
        return new NeighborList(offsets, rows.Index, rows.Dx, rows.Dy, rows.Dz, rows.Distance, cutoff, k > 0 ? k : null, sorted,
            cellOrder ? _sortedIndex : null, rented: true);
    }

    /// <summary>
    /// The stencil of the cell at sorted position <paramref name="sorted"/> as stretches of the cell-ordered arrays,
    /// worked out again only when the cell changes (the particles of a cell are consecutive in cell order).
    /// </summary>
    private ReadOnlySpan<Run> RunsOf(int sorted, ref StencilRuns runs)
    {
        int home = _sortedCell[sorted];
        if (home != runs.Home)
        {
            runs.Home = home;
            runs.Count = FillRuns(home, runs.Stencil, runs.Columns, runs.Items);
        }
        return runs.Items.AsSpan(0, runs.Count);
    }

    /// <summary>
    /// The stencil's cells around <paramref name="home"/>, in the order a particle visits them, each with the lattice
    /// shift of its periodic image; neighbouring cells along c with the same shift are adjacent in cell order and
    /// merge into one stretch, so a particle scans a few contiguous stretches instead of every cell.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per cell: the unoptimised tier would linger over a short run
    private int FillRuns(int home, Stencil stencil, ReadOnlySpan<(int Da, int Db)> columns, Run[] into)
    {
        int ca = home / (_nb * _nc), cb = home / _nc % _nb, cc = home % _nc;
        if (ca >= stencil.A && ca + stencil.A < _na && cb >= stencil.B && cb + stencil.B < _nb && cc >= stencil.C && cc + stencil.C < _nc)
            return FillInteriorRuns(ca, cb, cc, stencil.C, columns, into);
        var box = _cell.Box;
        Vector3d va = box.A, vb = box.B, vc = box.C;
        int count = 0;
        foreach (var (da, db) in columns)
        {
            // Divisions only for cells beyond the grid's edge (periodic images); most are inside it.
            int a = ca + da, sa = (uint)a < (uint)_na ? 0 : FloorDiv(a, _na);
            a -= sa * _na;
            int b = cb + db, sb = (uint)b < (uint)_nb ? 0 : FloorDiv(b, _nb);
            b -= sb * _nb;
            for (int dc = -stencil.C; dc <= stencil.C; dc++)
            {
                int c = cc + dc, sc = (uint)c < (uint)_nc ? 0 : FloorDiv(c, _nc);
                c -= sc * _nc;
                int cell = (a * _nb + b) * _nc + c;
                int start = _cellStart[cell], end = _cellStart[cell + 1];
                if (start == end) continue;
                if (count > 0 && into[count - 1].End == start && into[count - 1].IsShift(sa, sb, sc))
                {
                    into[count - 1].End = end;
                    continue;
                }
                // Summed as before the stretches (shift first, the particle's position subtracted after): the same rounding.
                into[count++] = new Run
                {
                    Start = start, End = end, Sa = sa, Sb = sb, Sc = sc,
                    X = sa * va.X + sb * vb.X + sc * vc.X,
                    Y = sa * va.Y + sb * vb.Y + sc * vc.Y,
                    Z = sa * va.Z + sb * vb.Z + sc * vc.Z,
                };
            }
        }
        return count;
    }

    /// <summary>
    /// <see cref="FillRuns"/> for a home cell whose whole stencil lies inside the grid (most cells of a large frame):
    /// no periodic image, so each column's cells are one stretch from its first cell's start to its last cell's end,
    /// the same stretches the cell-by-cell loop merges them into.
    /// </summary>
    private int FillInteriorRuns(int ca, int cb, int cc, int reachC, ReadOnlySpan<(int Da, int Db)> columns, Run[] into)
    {
        int count = 0;
        foreach (var (da, db) in columns)
        {
            int first = ((ca + da) * _nb + cb + db) * _nc + cc - reachC;
            int start = _cellStart[first], end = _cellStart[first + 2 * reachC + 1];
            if (start == end) continue;
            if (count > 0 && into[count - 1].End == start)
            {
                into[count - 1].End = end;
                continue;
            }
            into[count++] = new Run { Start = start, End = end };
        }
        return count;
    }

    /// <summary>
    /// Hands <paramref name="sink"/> every particle closer than the cutoff to the one at sorted position
    /// <paramref name="self"/>, in stencil order. The vectorised loops test four or eight positions at a time with the same
    /// operations in the same order as the scalar one (no fused multiply–add), so both find the same neighbours with
    /// the same displacements.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    /// <param name="cellOrder">Hand neighbours over by their position in cell order, not as particles.</param>
    private void Gather<TSink>(int self, double cutoff2, ReadOnlySpan<Run> runs, ref TSink sink, bool cellOrder = false)
        where TSink : struct, INeighborSink
    {
        double xi = _sx[self], yi = _sy[self], zi = _sz[self];
        var sx = _sx;
        var sy = _sy;
        var sz = _sz;
        ref double x0 = ref MemoryMarshal.GetArrayDataReference(sx);
        ref double y0 = ref MemoryMarshal.GetArrayDataReference(sy);
        ref double z0 = ref MemoryMarshal.GetArrayDataReference(sz);
        foreach (ref readonly var run in runs)
        {
            if (sink.Full) return;
            double shx = run.X - xi, shy = run.Y - yi, shz = run.Z - zi;
            bool unshifted = run.IsShift(0, 0, 0);
            int s = run.Start, end = run.End;
            // The two widths are written out, the same steps on different vector types: .NET's vector types share no
            // public generic interface to write them once over. Only eight lanes can hand a sink whole vectors.
            if (_lanes == 8)
            {
                var vx = Vector512.Create(shx);
                var vy = Vector512.Create(shy);
                var vz = Vector512.Create(shz);
                var limit = Vector512.Create(cutoff2);
                for (; s < end && !sink.Full; s += 8)
                {
                    var ex = Vector512.LoadUnsafe(ref x0, (nuint)s) + vx;
                    var ey = Vector512.LoadUnsafe(ref y0, (nuint)s) + vy;
                    var ez = Vector512.LoadUnsafe(ref z0, (nuint)s) + vz;
                    var r2 = ex * ex + ey * ey + ez * ez;
                    uint hits = Within((uint)Vector512.LessThan(r2, limit).ExtractMostSignificantBits(), s, end, self, unshifted, 8);
                    if (cellOrder && sink.TakesVectors)
                    {
                        if (hits != 0) sink.AddVector(ex, ey, ez, r2, hits, s);
                    }
                    else Take(ref sink, hits, s, shx, shy, shz, cellOrder);
                }
                continue;
            }
            if (_lanes == 4)
            {
                var vx = Vector256.Create(shx);
                var vy = Vector256.Create(shy);
                var vz = Vector256.Create(shz);
                var limit = Vector256.Create(cutoff2);
                for (; s < end && !sink.Full; s += 4)
                {
                    var ex = Vector256.LoadUnsafe(ref x0, (nuint)s) + vx;
                    var ey = Vector256.LoadUnsafe(ref y0, (nuint)s) + vy;
                    var ez = Vector256.LoadUnsafe(ref z0, (nuint)s) + vz;
                    var r2 = ex * ex + ey * ey + ez * ez;
                    Take(ref sink, Within(Vector256.LessThan(r2, limit).ExtractMostSignificantBits(), s, end, self, unshifted, 4), s, shx, shy,
                        shz, cellOrder);
                }
                continue;
            }
            for (; s < end; s++)
            {
                double dx = sx[s] + shx, dy = sy[s] + shy, dz = sz[s] + shz;
                double r2 = dx * dx + dy * dy + dz * dz;
                if (r2 >= cutoff2 || (s == self && unshifted)) continue;
                sink.Add(cellOrder ? s : _sortedIndex[s], dx, dy, dz, r2);
            }
        }
    }

    /// <summary>
    /// The <paramref name="hits"/> of the vector at positions <paramref name="s"/> … s + lanes − 1 that are candidates:
    /// before the run's <paramref name="end"/>, and not the particle itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Within(uint hits, int s, int end, int self, bool unshifted, int lanes)
    {
        int left = end - s;
        if (left < lanes) hits &= (1u << left) - 1;
        if (unshifted && (uint)(self - s) < (uint)lanes) hits &= ~(1u << (self - s));
        return hits;
    }

    /// <summary>Hands <paramref name="sink"/> the <paramref name="hits"/> of the vector at <paramref name="s"/>: their count, or each one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Take<TSink>(ref TSink sink, uint hits, int s, double shx, double shy, double shz, bool cellOrder)
        where TSink : struct, INeighborSink
    {
        if (sink.CountsOnly)
        {
            sink.AddCount(BitOperations.PopCount(hits));
            return;
        }
        while (hits != 0)
        {
            int t = s + BitOperations.TrailingZeroCount(hits);
            hits &= hits - 1;
            double dx = _sx[t] + shx, dy = _sy[t] + shy, dz = _sz[t] + shz;
            sink.Add(cellOrder ? t : _sortedIndex[t], dx, dy, dz, dx * dx + dy * dy + dz * dz);
        }
    }

    /// <summary>Cells to visit on each side so that every point within the cutoff is covered.</summary>
    private Stencil StencilFor(double cutoff)
    {
        var w = _cell.Widths;
        return new Stencil(StencilReach(cutoff, _na, w.X), StencilReach(cutoff, _nb, w.Y), StencilReach(cutoff, _nc, w.Z));
    }

    /// <summary>Cells to visit on each side along a lattice direction of <paramref name="width"/> split into <paramref name="cells"/>.</summary>
    internal static int StencilReach(double cutoff, int cells, double width) => (int)Math.Ceiling(cutoff * cells / width - 1e-12);

    // Several chunks per core balance uneven cells; the count does not depend on the cores lent, so neither do results.
    private int ChunkCount() => _count < ParallelThreshold ? 1 : Math.Min(_cores.Cores * 8, _count / 512);

    /// <summary>
    /// Runs <paramref name="body"/>(chunk, first, end) over the particles in cell order (positions in the sorted index),
    /// <see cref="ChunkCount"/> chunks of them, in parallel on the idle cores of the budget when there are several.
    /// </summary>
    private void ForEachChunk(Action<int, int, int> body)
    {
        int chunks = ChunkCount();
        int per = (_count + chunks - 1) / chunks;
        _cores.For(chunks, chunk => body(chunk, chunk * per, Math.Min(_count, (chunk + 1) * per)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int FloorDiv(int a, int n) => a >= 0 ? a / n : -((-a + n - 1) / n);

    /// <summary>How many cells the grid has along a lattice direction (the device cell list uses the same grid).</summary>
    internal static int CellsAlong(double width, double cellSize, int count)
    {
        // Enough cells to make the search local, but not so many that most are empty.
        long byCutoff = (long)Math.Floor(width / cellSize);
        long byCount = Math.Max(1, (long)Math.Ceiling(Math.Cbrt(Math.Max(count, 1)) * 2));
        return (int)Math.Clamp(Math.Min(byCutoff, byCount), 1, 1024);
    }

    private readonly record struct Stencil(int A, int B, int C)
    {
        public int Cells => (2 * A + 1) * (2 * B + 1) * (2 * C + 1);

        /// <summary>
        /// The stencil's columns along c, as (da, db): in grid order, or with <paramref name="nearFirst"/> those nearest
        /// the home cell first (by da² + db², then grid order).
        /// </summary>
        public (int Da, int Db)[] Columns(bool nearFirst)
        {
            var columns = new (int Da, int Db)[(2 * A + 1) * (2 * B + 1)];
            int k = 0;
            for (int da = -A; da <= A; da++)
                for (int db = -B; db <= B; db++)
                    columns[k++] = (da, db);
            // OrderBy is stable: ties keep grid order.
            return nearFirst ? [.. columns.OrderBy(c => c.Da * c.Da + c.Db * c.Db)] : columns;
        }
    }

    /// <summary>Consecutive positions in cell order, seen through the lattice shift (Sa, Sb, Sc), which is (X, Y, Z).</summary>
    private struct Run
    {
        public int Start, End, Sa, Sb, Sc;
        public double X, Y, Z;

        public readonly bool IsShift(int sa, int sb, int sc) => Sa == sa && Sb == sb && Sc == sc;
    }

    /// <summary>One thread's stencil stretches, for the cell <see cref="Home"/> (-1: none yet).</summary>
    private struct StencilRuns(Stencil stencil, bool nearFirst = false)
    {
        public readonly Stencil Stencil = stencil;
        public readonly (int Da, int Db)[] Columns = stencil.Columns(nearFirst);
        public readonly Run[] Items = new Run[stencil.Cells];
        public int Home = -1;
        public int Count;
    }

    /// <summary>What <see cref="Gather{TSink}"/> hands each neighbour to.</summary>
    private interface INeighborSink
    {
        void Add(int j, double dx, double dy, double dz, double r2);

        /// <summary>Whether the sink wants no more neighbours (checked between stretches of cells and vectors of candidates).</summary>
        bool Full { get; }

        /// <summary>Whether the sink only counts: the vectorised search then hands it how many it found in each vector.</summary>
        bool CountsOnly { get; }

        /// <summary>Takes <paramref name="found"/> neighbours at once (only called when <see cref="CountsOnly"/>).</summary>
        void AddCount(int found);

        /// <summary>Whether the vectorised search of a list in cell order hands the sink whole vectors (<see cref="AddVector"/>).</summary>
        bool TakesVectors { get; }

        /// <summary>
        /// The <paramref name="hits"/> lanes of one vector of candidates at positions <paramref name="first"/> … first + 7
        /// (displacements and squared distances by lane); only called when <see cref="TakesVectors"/>.
        /// </summary>
        void AddVector(Vector512<double> dx, Vector512<double> dy, Vector512<double> dz, Vector512<double> r2, uint hits, int first);
    }

    /// <summary>Counts neighbours without keeping them, up to a limit.</summary>
    private struct Counter(int limit) : INeighborSink
    {
        public int Count;

        public void Add(int j, double dx, double dy, double dz, double r2) => Count++;

        public readonly bool Full => Count >= limit;

        public readonly bool CountsOnly => true;

        public void AddCount(int found) => Count += found;

        public readonly bool TakesVectors => false;

        public readonly void AddVector(Vector512<double> dx, Vector512<double> dy, Vector512<double> dz, Vector512<double> r2, uint hits,
            int first) => throw new NotSupportedException();
    }

    /// <summary>Appends every neighbour to a chunk's entries as it is met.</summary>
    private readonly struct Appender(ChunkResult result) : INeighborSink
    {
        public bool Full => false;

        public bool CountsOnly => false;

        public void AddCount(int found) => throw new NotSupportedException();

        /// <summary>A vector's neighbours are stored side by side at once (only the eight-lane search, which needs AVX-512, hands them).</summary>
        public bool TakesVectors => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void AddVector(Vector512<double> dx, Vector512<double> dy, Vector512<double> dz, Vector512<double> r2, uint hits, int first) =>
            result.AddVector(dx, dy, dz, r2, hits, first);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int j, double dx, double dy, double dz, double r2) => result.Add(j, dx, dy, dz, r2);
    }

    /// <summary>One thread's candidates for the particle at hand.</summary>
    private struct Candidates(int capacity) : INeighborSink
    {
        public int[] Index = new int[capacity];
        public double[] Dx = new double[capacity], Dy = new double[capacity], Dz = new double[capacity], R2 = new double[capacity];
        public int[] Order = new int[capacity];
        public double[] Keys = new double[capacity];
        public int[] KeyIndex = new int[capacity];
        public int Count;

        public void Clear() => Count = 0;

        public readonly bool Full => false;

        public readonly bool CountsOnly => false;

        public readonly void AddCount(int found) => throw new NotSupportedException();

        public readonly bool TakesVectors => false;

        public readonly void AddVector(Vector512<double> dx, Vector512<double> dy, Vector512<double> dz, Vector512<double> r2, uint hits,
            int first) => throw new NotSupportedException();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int j, double dx, double dy, double dz, double r2)
        {
            if (Count == Index.Length) Grow();
            Index[Count] = j;
            Dx[Count] = dx;
            Dy[Count] = dy;
            Dz[Count] = dz;
            R2[Count] = r2;
            Count++;
        }

        /// <summary>Puts the candidates in order of distance (ties by index, for determinism); only the first k when k > 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per particle: the unoptimised tier would linger over a short run
        public void SortByDistance(int k)
        {
            int n = Count;
            var order = Order;
            int limit = k > 0 ? Math.Min(k, n) : n;
            if (limit > 32)
            {
                // Long lists (wide cutoffs): a full sort beats insertion.
                for (int i = 0; i < n; i++) order[i] = i;
                Array.Copy(R2, Keys, n);
                Array.Sort(Keys, order, 0, n);
                Count = limit;
                return;
            }
            // Stable insertion into a sorted prefix of length `limit`, comparing against copies of the prefix's keys
            // (contiguous, no indirection); once the prefix is full, a candidate not before its last entry is passed over.
            var r2 = R2;
            var index = Index;
            var keys = Keys;
            var keyIndex = KeyIndex;
            int length = 0;
            for (int item = 0; item < n; item++)
            {
                double key = r2[item];
                int j = index[item];
                int pos = length;
                if (pos == limit)
                {
                    if (!Before(key, j, keys[pos - 1], keyIndex[pos - 1])) continue;
                    pos--;
                }
                for (; pos > 0 && Before(key, j, keys[pos - 1], keyIndex[pos - 1]); pos--)
                {
                    keys[pos] = keys[pos - 1];
                    keyIndex[pos] = keyIndex[pos - 1];
                    order[pos] = order[pos - 1];
                }
                keys[pos] = key;
                keyIndex[pos] = j;
                order[pos] = item;
                if (length < limit) length++;
            }
            Count = length;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Before(double r2, int j, double r2Other, int jOther) => r2 < r2Other || (r2 == r2Other && j < jOther);

        private void Grow()
        {
            int size = Index.Length * 2;
            Array.Resize(ref Index, size);
            Array.Resize(ref Dx, size);
            Array.Resize(ref Dy, size);
            Array.Resize(ref Dz, size);
            Array.Resize(ref R2, size);
            Array.Resize(ref Order, size);
            Array.Resize(ref Keys, size);
            Array.Resize(ref KeyIndex, size);
        }
    }

    /// <summary>
    /// One chunk's neighbour entries, in the order its particles were processed, one array per field. Rented, as the
    /// chunks of one search hold as many entries as the list it builds: fresh pages for them on every frame cost more
    /// than filling them.
    /// </summary>
    /// <param name="distances">Store each entry's distance too; without, <see cref="Distance"/> is empty.</param>
    private sealed class ChunkResult(int capacity, bool distances) : IDisposable
    {
        // Uncleared: only entries below Count are read.
        public int[] Index = ArrayPool<int>.Shared.Rent(capacity);
        public float[] Dx = ArrayPool<float>.Shared.Rent(capacity), Dy = ArrayPool<float>.Shared.Rent(capacity),
            Dz = ArrayPool<float>.Shared.Rent(capacity), Distance = distances ? ArrayPool<float>.Shared.Rent(capacity) : [];
        public int Count;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per particle, as SortByDistance
        public void Append(ref Candidates c, int n, bool sorted)
        {
            Reserve(n);
            for (int m = 0; m < n; m++)
            {
                int o = sorted ? c.Order[m] : m;
                Put(c.Index[o], c.Dx[o], c.Dy[o], c.Dz[o], c.R2[o]);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int j, double dx, double dy, double dz, double r2)
        {
            Reserve(1);
            Put(j, dx, dy, dz, r2);
        }

        /// <summary>
        /// The lanes of <paramref name="hits"/> of one vector of candidates at positions <paramref name="first"/> …
        /// first + 7, stored side by side with AVX-512's compression: the same values <see cref="Add"/> stores.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void AddVector(Vector512<double> dx, Vector512<double> dy, Vector512<double> dz, Vector512<double> r2, uint hits,
            int first)
        {
            Reserve(Vector512<double>.Count);
            var bits = Vector256.Create(1, 2, 4, 8, 16, 32, 64, 128);
            var lanes = Vector256.Equals(Vector256.Create((int)hits) & bits, bits);
            var mask = lanes.AsSingle();
            // Compressed in registers and stored whole (Reserve left room for every lane): a compressing store straight
            // to memory is microcoded and far slower on AMD's Zen 4, and no faster on the Intel cores measured.
            Avx512F.VL.Compress(Vector256<int>.Zero, lanes, Vector256.Create(first) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7))
                .StoreUnsafe(ref Index[0], (nuint)Count);
            Avx512F.VL.Compress(Vector256<float>.Zero, mask, Avx512F.ConvertToVector256Single(dx)).StoreUnsafe(ref Dx[0], (nuint)Count);
            Avx512F.VL.Compress(Vector256<float>.Zero, mask, Avx512F.ConvertToVector256Single(dy)).StoreUnsafe(ref Dy[0], (nuint)Count);
            Avx512F.VL.Compress(Vector256<float>.Zero, mask, Avx512F.ConvertToVector256Single(dz)).StoreUnsafe(ref Dz[0], (nuint)Count);
            if (distances)
                Avx512F.VL.Compress(Vector256<float>.Zero, mask, Avx512F.ConvertToVector256Single(Avx512F.Sqrt(r2)))
                    .StoreUnsafe(ref Distance[0], (nuint)Count);
            Count += BitOperations.PopCount(hits);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Put(int j, double dx, double dy, double dz, double r2)
        {
            Index[Count] = j;
            Dx[Count] = (float)dx;
            Dy[Count] = (float)dy;
            Dz[Count] = (float)dz;
            if (distances) Distance[Count] = (float)Math.Sqrt(r2);
            Count++;
        }

        /// <summary>Room for <paramref name="more"/> entries after the last.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Reserve(int more)
        {
            if (Count + more > Index.Length) Grow(Math.Max(2 * Index.Length, Count + more));
        }

        private void Grow(int capacity)
        {
            Index = Grown(Index, capacity, Count);
            Dx = Grown(Dx, capacity, Count);
            Dy = Grown(Dy, capacity, Count);
            Dz = Grown(Dz, capacity, Count);
            if (distances) Distance = Grown(Distance, capacity, Count);
        }

        private static T[] Grown<T>(T[] array, int capacity, int count)
        {
            var larger = ArrayPool<T>.Shared.Rent(capacity);
            array.AsSpan(0, count).CopyTo(larger);
            ArrayPool<T>.Shared.Return(array);
            return larger;
        }

        public void Dispose()
        {
            ArrayPool<int>.Shared.Return(Index);
            foreach (var field in (float[][])[Dx, Dy, Dz]) ArrayPool<float>.Shared.Return(field);
            if (distances) ArrayPool<float>.Shared.Return(Distance);
            (Index, Dx, Dy, Dz, Distance) = ([], [], [], [], []);
        }
    }

    /// <summary>The compressed rows of a list being built: each particle's row, copied from the chunk that found it.</summary>
    /// <param name="distances">Whether the chunks stored distances; without, <see cref="Distance"/> is null.</param>
    private sealed class Rows(int[] offsets, bool distances)
    {
        // Rented and uncleared (every entry up to the last offset is written): the list gives them back when disposed.
        public readonly int[] Index = ArrayPool<int>.Shared.Rent(offsets[^1]);
        public readonly float[] Dx = ArrayPool<float>.Shared.Rent(offsets[^1]);
        public readonly float[] Dy = ArrayPool<float>.Shared.Rent(offsets[^1]);
        public readonly float[] Dz = ArrayPool<float>.Shared.Rent(offsets[^1]);
        public readonly float[]? Distance = distances ? ArrayPool<float>.Shared.Rent(offsets[^1]) : null;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static unsafe void Prefetch<T>(ref T at) => Sse.Prefetch0(Unsafe.AsPointer(ref at));

        /// <summary>Copies a chunk's entries, which are already whole rows in order, to the rows from <paramref name="at"/> on.</summary>
        public void Copy(int at, ChunkResult part) => Put(at, part, 0, part.Count);

        /// <summary>Writes <paramref name="count"/> entries of <paramref name="part"/> from <paramref name="from"/> into the rows from <paramref name="at"/> on.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Put(int at, ChunkResult part, int from, int count)
        {
            part.Index.AsSpan(from, count).CopyTo(Index.AsSpan(at));
            part.Dx.AsSpan(from, count).CopyTo(Dx.AsSpan(at));
            part.Dy.AsSpan(from, count).CopyTo(Dy.AsSpan(at));
            part.Dz.AsSpan(from, count).CopyTo(Dz.AsSpan(at));
            if (Distance is not null) part.Distance.AsSpan(from, count).CopyTo(Distance.AsSpan(at));
        }

        /// <summary>Fills the rows of particles <paramref name="from"/> to <paramref name="to"/>, in order of particle (the writes run from start to end).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Fill(int from, int to, ChunkResult[] parts, int[] owner, int[] start)
        {
            const int Ahead = 16;
            for (int i = from; i < to; i++)
            {
                // Rows lie anywhere in the chunks (particles are found in cell order): ask early for the start of each field.
                if (Sse.IsSupported && i + Ahead < to)
                {
                    var next = parts[owner[i + Ahead]];
                    int first = start[i + Ahead];
                    if (first < next.Count)
                    {
                        Prefetch(ref next.Index[first]);
                        Prefetch(ref next.Dx[first]);
                        Prefetch(ref next.Dy[first]);
                        Prefetch(ref next.Dz[first]);
                        if (Distance is not null) Prefetch(ref next.Distance[first]);
                    }
                }
                Put(offsets[i], parts[owner[i]], start[i], offsets[i + 1] - offsets[i]);
            }
        }
    }
}
