using System.Runtime.CompilerServices;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Neighbors;

/// <summary>
/// Finds neighbours of points in a periodic cell (orthogonal or triclinic) with a cell list. Cells are laid out along
/// the lattice directions, at least <c>cellSize</c> wide measured between lattice planes, so any point within a
/// cutoff lies in a bounded stencil of cells; the stencil wraps with explicit lattice shifts, which keeps small
/// boxes (a cutoff near, or beyond, half the box) exact: every periodic image in range is found.
/// Build once per frame; query as often as needed (thread-safe). Large queries run in parallel on the cores the
/// <see cref="CoreBudget"/> has idle.
/// </summary>
public sealed class NeighborQuery
{
    private const int ParallelThreshold = 4096;

    private readonly PeriodicCell _cell;
    private readonly int _count;
    private readonly int _na, _nb, _nc;
    private readonly int[] _cellStart;
    private readonly int[] _sortedIndex;
    private readonly double[] _sx, _sy, _sz; // wrapped positions in cell order
    private readonly int[] _cellOf;          // by particle
    private readonly double[] _wx, _wy, _wz; // wrapped positions by particle
    private readonly CoreBudget _cores;

    /// <param name="cores">The budget its parallel loops borrow from; null for <see cref="CoreBudget.Shared"/>.</param>
    public NeighborQuery(SimulationBox box, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, double cellSize,
        CoreBudget? cores = null)
    {
        _cores = cores ?? CoreBudget.Shared;
        if (x.Length != y.Length || x.Length != z.Length) throw new ArgumentException("x, y and z must have the same length");
        if (!(cellSize > 0)) throw new ArgumentOutOfRangeException(nameof(cellSize), cellSize, "must be positive");
        _cell = new PeriodicCell(box);
        _count = x.Length;
        var w = _cell.Widths;
        _na = CellsAlong(w.X, cellSize, _count);
        _nb = CellsAlong(w.Y, cellSize, _count);
        _nc = CellsAlong(w.Z, cellSize, _count);
        int cells = _na * _nb * _nc;

        _wx = new double[_count];
        _wy = new double[_count];
        _wz = new double[_count];
        _cellOf = new int[_count];
        var perCell = new int[cells + 1];
        for (int i = 0; i < _count; i++)
        {
            var r = new Vector3d(x[i], y[i], z[i]);
            if (!r.IsFinite) throw new ArgumentException($"particle {i} has a non-finite position");
            var s = _cell.ToFractional(r);
            int fa = (int)Math.Floor(s.X), fb = (int)Math.Floor(s.Y), fc = (int)Math.Floor(s.Z);
            var wrapped = r - _cell.Shift(fa, fb, fc);
            _wx[i] = wrapped.X;
            _wy[i] = wrapped.Y;
            _wz[i] = wrapped.Z;
            int ca = Math.Clamp((int)((s.X - fa) * _na), 0, _na - 1);
            int cb = Math.Clamp((int)((s.Y - fb) * _nb), 0, _nb - 1);
            int cc = Math.Clamp((int)((s.Z - fc) * _nc), 0, _nc - 1);
            int c = (ca * _nb + cb) * _nc + cc;
            _cellOf[i] = c;
            perCell[c + 1]++;
        }
        for (int c = 0; c < cells; c++) perCell[c + 1] += perCell[c];
        _cellStart = perCell;
        _sortedIndex = new int[_count];
        _sx = new double[_count];
        _sy = new double[_count];
        _sz = new double[_count];
        var fill = (int[])perCell.Clone();
        for (int i = 0; i < _count; i++)
        {
            int k = fill[_cellOf[i]]++;
            _sortedIndex[k] = i;
            _sx[k] = _wx[i];
            _sy[k] = _wy[i];
            _sz[k] = _wz[i];
        }
    }

    /// <summary>A query over a frame's atoms.</summary>
    public static NeighborQuery FromFrame(Frame frame, double cellSize, CoreBudget? cores = null) =>
        new(frame.Box, frame.X, frame.Y, frame.Z, cellSize, cores);

    public PeriodicCell Cell => _cell;

    public int Count => _count;

    /// <summary>Every neighbour closer than <paramref name="cutoff"/> (every image in range), each list sorted by distance.</summary>
    public NeighborList WithinCutoff(double cutoff)
    {
        if (!(cutoff > 0)) throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "must be positive");
        return Build(cutoff, k: 0);
    }

    /// <summary>
    /// How many neighbours (every image in range) each particle has closer than <paramref name="cutoff"/>: what
    /// <see cref="WithinCutoff"/> would list, counted without storing or sorting a pair, for wide radii on large frames.
    /// With <paramref name="only"/>, only the particles it selects are counted (the others get 0), at a cost in
    /// proportion to how many it selects; every particle still counts as a neighbour.
    /// </summary>
    public int[] CountWithin(double cutoff, bool[]? only = null)
    {
        if (!(cutoff > 0)) throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "must be positive");
        if (only is not null && only.Length != _count)
            throw new ArgumentException($"the selection has {only.Length} entries for {_count} particles", nameof(only));
        var stencil = StencilFor(cutoff);
        var counts = new int[_count];
        ForEachChunk((_, from, to) =>
        {
            var scratch = new Candidates(64);
            for (int sorted = from; sorted < to; sorted++)
            {
                int i = _sortedIndex[sorted];
                if (only is not null && !only[i]) continue;
                scratch.Clear();
                Gather(i, cutoff * cutoff, stencil, ref scratch);
                counts[i] = scratch.Count;
            }
        });
        return counts;
    }

    /// <summary>
    /// The <paramref name="k"/> nearest neighbours closer than <paramref name="cutoff"/>, sorted by distance; a particle
    /// with fewer than k in range gets all it has (as LAMMPS' <c>nnn</c> within its cutoff). Without a cutoff the
    /// search widens until every particle has k neighbours or the radius reaches the box size.
    /// </summary>
    public NeighborList Nearest(int k, double? cutoff = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (cutoff is { } rc)
        {
            if (!(rc > 0)) throw new ArgumentOutOfRangeException(nameof(cutoff), rc, "must be positive");
            return Build(rc, k);
        }
        if (_count <= k) throw new ArgumentException($"{k} nearest neighbours asked of only {_count} particles");
        // A sphere holding twice k particles at the mean density, then wider until everyone has k.
        double density = _count / Math.Abs(_cell.Box.Volume);
        double r = Math.Cbrt(3.0 * 2 * k / (4 * Math.PI * density));
        double limit = 2 * Math.Max(_cell.Widths.X, Math.Max(_cell.Widths.Y, _cell.Widths.Z));
        while (true)
        {
            var list = Build(r, k);
            bool complete = true;
            for (int i = 0; i < _count && complete; i++) complete = list.CountOf(i) >= k;
            if (complete || r >= limit) return list;
            r *= 1.5;
        }
    }

    private NeighborList Build(double cutoff, int k)
    {
        var stencil = StencilFor(cutoff);
        var parts = new ChunkResult[ChunkCount()];
        var start = new int[_count];
        var count = new int[_count];
        var owner = new int[_count];
        // Fully optimised from the first call: a frame runs it a few times over many particles, so the first, unoptimised
        // tier would do a large share of a short run's work (a command over a few frames).
        ForEachChunk([MethodImpl(MethodImplOptions.AggressiveOptimization)] (chunk, from, to) =>
        {
            var result = new ChunkResult(Math.Max(64, (to - from) * (k > 0 ? k : 16)));
            var scratch = new Candidates(64);
            for (int sorted = from; sorted < to; sorted++)
            {
                int i = _sortedIndex[sorted];
                scratch.Clear();
                Gather(i, cutoff * cutoff, stencil, ref scratch);
                scratch.SortByDistance(k);
                int n = k > 0 ? Math.Min(k, scratch.Count) : scratch.Count;
                start[i] = result.Count;
                count[i] = n;
                owner[i] = chunk;
                result.Append(ref scratch, n);
            }
            parts[chunk] = result;
        });

        var offsets = new int[_count + 1];
        for (int i = 0; i < _count; i++) offsets[i + 1] = offsets[i] + count[i];
        int total = offsets[_count];
        var index = new int[total];
        var dx = new float[total];
        var dy = new float[total];
        var dz = new float[total];
        var dist = new float[total];
        for (int i = 0; i < _count; i++)
        {
            var p = parts[owner[i]];
            int s = start[i], n = count[i], o = offsets[i];
            // Span copies: a dozen entries per particle, where Array.Copy's checks cost as much as the copy.
            p.Index.AsSpan(s, n).CopyTo(index.AsSpan(o, n));
            p.Dx.AsSpan(s, n).CopyTo(dx.AsSpan(o, n));
            p.Dy.AsSpan(s, n).CopyTo(dy.AsSpan(o, n));
            p.Dz.AsSpan(s, n).CopyTo(dz.AsSpan(o, n));
            p.Distance.AsSpan(s, n).CopyTo(dist.AsSpan(o, n));
        }
        return new NeighborList(offsets, index, dx, dy, dz, dist, cutoff, k > 0 ? k : null);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Gather(int i, double cutoff2, in Stencil stencil, ref Candidates into)
    {
        int home = _cellOf[i];
        int ca = home / (_nb * _nc), cb = home / _nc % _nb, cc = home % _nc;
        double xi = _wx[i], yi = _wy[i], zi = _wz[i];
        var box = _cell.Box;
        for (int da = -stencil.A; da <= stencil.A; da++)
        {
            // Divisions only for cells beyond the grid's edge (periodic images); most are inside it.
            int a = ca + da, sa = (uint)a < (uint)_na ? 0 : FloorDiv(a, _na);
            a -= sa * _na;
            for (int db = -stencil.B; db <= stencil.B; db++)
            {
                int b = cb + db, sb = (uint)b < (uint)_nb ? 0 : FloorDiv(b, _nb);
                b -= sb * _nb;
                for (int dc = -stencil.C; dc <= stencil.C; dc++)
                {
                    int c = cc + dc, sc = (uint)c < (uint)_nc ? 0 : FloorDiv(c, _nc);
                    c -= sc * _nc;
                    bool unshifted = sa == 0 && sb == 0 && sc == 0;
                    double shx = sa * box.A.X + sb * box.B.X + sc * box.C.X - xi;
                    double shy = sa * box.A.Y + sb * box.B.Y + sc * box.C.Y - yi;
                    double shz = sa * box.A.Z + sb * box.B.Z + sc * box.C.Z - zi;
                    int cell = (a * _nb + b) * _nc + c;
                    for (int s = _cellStart[cell], end = _cellStart[cell + 1]; s < end; s++)
                    {
                        double ex = _sx[s] + shx, ey = _sy[s] + shy, ez = _sz[s] + shz;
                        double r2 = ex * ex + ey * ey + ez * ez;
                        if (r2 >= cutoff2) continue;
                        int j = _sortedIndex[s];
                        if (j == i && unshifted) continue;
                        into.Add(j, ex, ey, ez, r2);
                    }
                }
            }
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

    private readonly record struct Stencil(int A, int B, int C);

    /// <summary>One thread's candidates for the particle at hand.</summary>
    private struct Candidates(int capacity)
    {
        public int[] Index = new int[capacity];
        public double[] Dx = new double[capacity], Dy = new double[capacity], Dz = new double[capacity], R2 = new double[capacity];
        public int[] Order = new int[capacity];
        public double[] Keys = new double[capacity];
        public int Count;

        public void Clear() => Count = 0;

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
            for (int i = 0; i < n; i++) Order[i] = i;
            var r2 = R2;
            var index = Index;
            int limit = k > 0 ? Math.Min(k, n) : n;
            if (limit > 32)
            {
                // Long lists (wide cutoffs): a full sort beats insertion.
                if (Keys.Length < n) Keys = new double[Index.Length];
                Array.Copy(r2, Keys, n);
                Array.Sort(Keys, Order, 0, n);
                Count = limit;
                return;
            }
            // Selection by insertion into a sorted prefix of length `limit`.
            int sortedLength = 0;
            for (int i = 0; i < n; i++)
            {
                int item = Order[i];
                int pos = sortedLength;
                while (pos > 0 && Less(item, Order[pos - 1], r2, index)) pos--;
                if (pos >= limit) continue;
                int last = Math.Min(sortedLength, limit - 1);
                for (int m = last; m > pos; m--) Order[m] = Order[m - 1];
                Order[pos] = item;
                if (sortedLength < limit) sortedLength++;
            }
            Count = sortedLength;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Less(int a, int b, double[] r2, int[] index) => r2[a] < r2[b] || (r2[a] == r2[b] && index[a] < index[b]);

        private void Grow()
        {
            int size = Index.Length * 2;
            Array.Resize(ref Index, size);
            Array.Resize(ref Dx, size);
            Array.Resize(ref Dy, size);
            Array.Resize(ref Dz, size);
            Array.Resize(ref R2, size);
            Array.Resize(ref Order, size);
        }
    }

    /// <summary>One chunk's neighbour entries, in the order its particles were processed.</summary>
    private sealed class ChunkResult(int capacity)
    {
        public int[] Index = new int[capacity];
        public float[] Dx = new float[capacity], Dy = new float[capacity], Dz = new float[capacity], Distance = new float[capacity];
        public int Count;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per particle, as SortByDistance
        public void Append(ref Candidates c, int n)
        {
            if (Count + n > Index.Length)
            {
                int size = Math.Max(Index.Length * 2, Count + n);
                Array.Resize(ref Index, size);
                Array.Resize(ref Dx, size);
                Array.Resize(ref Dy, size);
                Array.Resize(ref Dz, size);
                Array.Resize(ref Distance, size);
            }
            for (int m = 0; m < n; m++)
            {
                int o = c.Order[m];
                Index[Count] = c.Index[o];
                Dx[Count] = (float)c.Dx[o];
                Dy[Count] = (float)c.Dy[o];
                Dz[Count] = (float)c.Dz[o];
                Distance[Count] = (float)Math.Sqrt(c.R2[o]);
                Count++;
            }
        }
    }
}
