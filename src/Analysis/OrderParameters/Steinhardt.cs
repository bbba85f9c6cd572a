using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.Parallelism;
using static StreamMonitor.Analysis.GenericVectorMath;

namespace StreamMonitor.Analysis.OrderParameters;

/// <summary>
/// Steinhardt bond-orientational order parameters q_l (and optionally w_l, ŵ_l and the normalised q_lm vector of one
/// degree) for every particle, from a prepared neighbour list. Like freud's <c>order.Steinhardt</c>: the constructor takes
/// the parameters and precomputes the tables, <see cref="Compute"/> takes one frame's neighbours and returns an immutable
/// <see cref="SteinhardtResult"/>, and the instance holds no per-frame state, so one can serve many runs and threads.
/// </summary>
/// <remarks>
/// <para>
/// Definitions follow LAMMPS <c>compute orientorder/atom</c>, which is the reference the tests hold this to (1e-5 on
/// every atom): q_lm(i) = (1/N_b) Σ_j Y_lm(r̂_ij), q_l = sqrt(4π/(2l+1) Σ_m |q_lm|²), over the neighbours in the list.
/// The bond direction is particle − neighbour, as in LAMMPS; it only matters for odd l, where it flips the sign of every
/// q_lm (q_l and the solid-bond products do not change).
/// </para>
/// <para>
/// Which neighbours: whatever the list holds, or its first k with <c>nearest: k</c>. LAMMPS' <c>nnn 12 cutoff rc</c> is
/// <c>NeighborQuery.Nearest(12, rc)</c>, or <c>WithinCutoff(rc)</c> with <c>nearest: 12</c> (the 12 nearest closer than
/// rc either way), and its <c>nnn NULL cutoff rc</c> is <c>WithinCutoff(rc)</c>. As in LAMMPS, a particle with no
/// neighbours, or with fewer than the k asked for (by <c>nearest</c> or by a k-nearest list), gets 0 for everything
/// (and <see cref="SteinhardtResult.Defined"/> false) rather than a value from an incomplete shell.
/// </para>
/// <para>
/// Averaging (Lechner and Dellago, J. Chem. Phys. 129, 114707 (2008)): q̄_lm(i) is the mean of q_lm over the particle and
/// its neighbours in the list, and q̄_l, w̄_l and the components come from q̄_lm. Neighbours whose own q_lm is undefined
/// (incomplete shell) have no orientation to contribute and are left out of the mean; a particle that is itself
/// undefined stays undefined. LAMMPS 2021 has no averaged variant.
/// </para>
/// </remarks>
public sealed class Steinhardt
{
    /// <summary>Largest degree accepted.</summary>
    public const int MaxSupportedDegree = 32;

    /// <summary>Below this q_l, ŵ_l and the normalised components are 0 (LAMMPS' QEPSILON): the direction is noise.</summary>
    public const double NormalisationEpsilon = 1e-6;

    private const int ChunkSize = 1024;
    private const int ParallelThreshold = 4096;

    private readonly int[] _degrees;
    private readonly SphericalHarmonicTable _table;
    private readonly double[] _diagonal, _a, _b;                 // the table's recurrence coefficients
    private readonly float[]? _diagonalSingle, _aSingle, _bSingle; // the same, rounded, for single precision
    private readonly int _slots;          // Σ (l + 1): the m ≥ 0 components of every degree
    private readonly int[] _slotBase;     // by degree index: first slot
    private readonly int[] _slotTable;    // by slot: SphericalHarmonicTable.Index(l, m)
    private readonly int[] _slotOfIndex;  // by SphericalHarmonicTable.Index(l, m): the slot, or −1 for an l not asked for
    private readonly Wigner3jTerms[]? _wigner; // by degree index
    private readonly int _componentsSlot = -1;
    private readonly CoreBudget _cores;

    /// <param name="degrees">The l values (default 4, 6, 8), 0 … 32, distinct.</param>
    /// <param name="average">Lechner–Dellago q̄_l instead of q_l.</param>
    /// <param name="wl">Also compute w_l and ŵ_l (the Wigner 3j coefficients are tabulated here, once).</param>
    /// <param name="components">Keep the normalised q_lm vectors of this degree (one of <paramref name="degrees"/>), e.g. 6 for solid bonds.</param>
    /// <param name="nearest">
    /// Use only the first k entries of each neighbour list (its k nearest: lists are sorted by distance), and treat a
    /// particle with fewer as undefined: LAMMPS' <c>nnn k</c> applied to a cutoff list. Null uses every entry.
    /// </param>
    /// <param name="maxDegreeOfParallelism">
    /// Most threads for large systems; -1 = as many as the budget has idle cores, 1 = the calling thread only.
    /// </param>
    /// <param name="cores">The budget its parallel loops borrow idle cores from; null for <see cref="CoreBudget.Shared"/>.</param>
    /// <param name="singlePrecision">
    /// Sum the spherical harmonics (and average the q_lm) in single precision: twice the SIMD lanes and half the memory
    /// traffic, for about 1e-6 of relative difference (q_l, w_l and ŵ_l are still finished in double). For features a
    /// classifier reads; the values compared with LAMMPS are computed in double.
    /// </param>
    public Steinhardt(IReadOnlyList<int>? degrees = null, bool average = false, bool wl = false, int? components = null,
        int? nearest = null, int maxDegreeOfParallelism = -1, CoreBudget? cores = null, bool singlePrecision = false)
    {
        _degrees = degrees is null ? [4, 6, 8] : [.. degrees];
        if (_degrees.Length == 0) throw new ArgumentException("at least one degree is needed", nameof(degrees));
        foreach (int l in _degrees)
            if (l is < 0 or > MaxSupportedDegree)
                throw new ArgumentOutOfRangeException(nameof(degrees), l, $"degrees must be between 0 and {MaxSupportedDegree}");
        if (_degrees.Distinct().Count() != _degrees.Length)
            throw new ArgumentException($"degrees must be distinct, got {string.Join(", ", _degrees)}", nameof(degrees));
        if (components is { } c && Array.IndexOf(_degrees, c) < 0)
            throw new ArgumentException($"components degree {c} is not one of the degrees ({string.Join(", ", _degrees)})", nameof(components));
        if (nearest is < 1) throw new ArgumentOutOfRangeException(nameof(nearest), nearest, "must be at least 1");
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "must be -1 (all cores) or positive");

        Average = average;
        ComputesWl = wl;
        ComponentsDegree = components;
        Nearest = nearest;
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
        _cores = cores ?? CoreBudget.Shared;
        Degrees = Array.AsReadOnly(_degrees);

        SinglePrecision = singlePrecision;
        _table = new SphericalHarmonicTable(_degrees.Max());
        (_diagonal, _a, _b) = (_table.Diagonal.ToArray(), _table.A.ToArray(), _table.B.ToArray());
        if (singlePrecision)
            (_diagonalSingle, _aSingle, _bSingle) = ([.. _diagonal.Select(v => (float)v)], [.. _a.Select(v => (float)v)], [.. _b.Select(v => (float)v)]);
        _slotBase = new int[_degrees.Length];
        _slots = 0;
        for (int d = 0; d < _degrees.Length; d++)
        {
            _slotBase[d] = _slots;
            _slots += _degrees[d] + 1;
        }
        _slotTable = new int[_slots];
        for (int d = 0; d < _degrees.Length; d++)
            for (int m = 0; m <= _degrees[d]; m++)
                _slotTable[_slotBase[d] + m] = SphericalHarmonicTable.Index(_degrees[d], m);
        _slotOfIndex = new int[_table.Size];
        Array.Fill(_slotOfIndex, -1);
        for (int t = 0; t < _slots; t++) _slotOfIndex[_slotTable[t]] = t;
        if (wl) _wigner = [.. _degrees.Select(l => new Wigner3jTerms(l))];
        if (components is { } cl) _componentsSlot = Array.IndexOf(_degrees, cl);
    }

    public System.Collections.ObjectModel.ReadOnlyCollection<int> Degrees { get; }

    public bool Average { get; }

    public bool ComputesWl { get; }

    public int? ComponentsDegree { get; }

    /// <summary>Neighbours used per particle: the first k of its list; null for all.</summary>
    public int? Nearest { get; }

    public int MaxDegreeOfParallelism { get; }

    /// <summary>Whether the q_lm sums and averages run in single precision (see the constructor).</summary>
    public bool SinglePrecision { get; }

    /// <summary>The order parameters of every particle of <paramref name="neighbors"/>.</summary>
    public SteinhardtResult Compute(NeighborList neighbors)
    {
        ArgumentNullException.ThrowIfNull(neighbors);
        if (Nearest is not null && !neighbors.SortedByDistance)
            throw new ArgumentException("the nearest neighbours of each particle need a list sorted by distance", nameof(neighbors));
        int n = neighbors.Count;
        var output = new Output(n, _degrees.Length, ComputesWl, ComponentsDegree);
        // A k-nearest list promises k neighbours; a particle that got fewer (the cutoff cut its shell) is undefined.
        int required = Math.Max(1, neighbors.RequestedNeighbors ?? 1);

        if (SinglePrecision) Run<float>(neighbors, required, output);
        else Run<double>(neighbors, required, output);

        int defined = 0;
        for (int i = 0; i < n; i++)
            if (output.Defined[i]) defined++;
            else output.Undefined(i);
        return new SteinhardtResult((int[])_degrees.Clone(), Average, output.Ql, output.Wl, output.WlHat, ComponentsDegree,
            output.Components, output.Defined, defined);
    }

    /// <summary>Fills <paramref name="output"/>, with the q_lm sums (and the averaging's rows) in <typeparamref name="T"/>.</summary>
    private void Run<T>(NeighborList neighbors, int required, Output output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = neighbors.Count;
        if (!Average)
        {
            ForChunks(n, (start, end, scratch) =>
            {
                var sums = scratch.Sums<T>()[..(2 * _slots)];
                for (int i = start; i < end; i++)
                    if (Accumulate(neighbors, i, required, sums, scratch))
                    {
                        output.Defined[i] = true;
                        Finish(i, sums, output, scratch);
                    }
                FinishWaiting(output, scratch);
            });
            return;
        }
        // Pass 1: every particle's own q_lm (m ≥ 0); pass 2: the mean over the particle and its neighbours. Rows are
        // padded to whole vectors, so the mean adds rows without a scalar tail; the padding is zero.
        int stride = (2 * _slots + Vector<T>.Count - 1) / Vector<T>.Count * Vector<T>.Count;
        // Rented (a frame's rows are as large as its list: fresh pages each frame cost more than the work on them) and
        // uncleared: a particle's row is written when its q_lm is defined and read only then.
        var own = ArrayPool<T>.Shared.Rent(checked(n * stride));
        try
        {
            ForChunks(n, (start, end, scratch) =>
            {
                for (int i = start; i < end; i++)
                {
                    var row = own.AsSpan(i * stride, stride);
                    output.Defined[i] = Accumulate(neighbors, i, required, row[..(2 * _slots)], scratch);
                    row[(2 * _slots)..].Clear();
                }
            });
            ForChunks(n, (start, end, scratch) =>
            {
                for (int i = start; i < end; i++)
                    if (output.Defined[i]) AverageOf(neighbors, i, required, own, stride, output, scratch);
                FinishWaiting(output, scratch);
            });
        }
        finally
        {
            ArrayPool<T>.Shared.Return(own);
        }
    }

    /// <summary>
    /// q_lm (m ≥ 0, every degree) of particle <paramref name="i"/> into <paramref name="row"/>: the real parts by slot,
    /// then the imaginary parts; false when it is undefined (no or too few neighbours, or one on top of it).
    /// </summary>
    /// <remarks>
    /// The neighbours are processed two vectors of <see cref="Vector{T}.Count"/> at a time, one per SIMD lane: the
    /// recurrences are the same for every bond, so each lane runs the identical instruction stream, and the sums over
    /// bonds stay in vector accumulators until the end. Padding lanes have weight 0 (their (x + iy)^m start at 0), so they add nothing.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: skip the unoptimised first JIT tier (several times slower for Vector<T> code)
    private bool Accumulate<T>(NeighborList neighbors, int i, int required, Span<T> row, Scratch scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = Used(neighbors, i, required);
        if (count <= 0) return false;
        int width = Vector<T>.Count, step = 2 * width;
        int padded = (count + step - 1) / step * step;
        scratch.EnsureNeighbors(padded);
        var dx = neighbors.Dx(i);
        var dy = neighbors.Dy(i);
        var dz = neighbors.Dz(i);
        var (ux, uy, uz, weight) = scratch.Bonds<T>();
        if (typeof(T) == typeof(float))
        {
            if (!UnitVectors(dx[..count], dy[..count], dz[..count], (float[])(object)ux, (float[])(object)uy, (float[])(object)uz)) return false;
        }
        else
            for (int k = 0; k < count; k++)
            {
                // LAMMPS' direction: particle − neighbour (the list stores neighbour − particle).
                double x = -dx[k], y = -dy[k], z = -dz[k];
                double r = Math.Sqrt(x * x + y * y + z * z);
                if (r <= SteinhardtMath.CoincidentDistance) return false;
                double inv = 1.0 / r;
                ux[k] = T.CreateTruncating(x * inv);
                uy[k] = T.CreateTruncating(y * inv);
                uz[k] = T.CreateTruncating(z * inv);
            }
        weight.AsSpan(0, count).Fill(T.One);
        for (int k = count; k < padded; k++) ux[k] = uy[k] = uz[k] = weight[k] = T.Zero;

        // One accumulator per slot, laid out as the row: real parts, then imaginary parts.
        var acc = MemoryMarshal.Cast<Vector<double>, Vector<T>>(scratch.Acc.AsSpan());
        acc.Clear();
        var (diagonal, a, b) = Table<T>();
        var slotOf = _slotOfIndex;
        int lmax = _table.MaxDegree;
        // Unchecked reads: every index comes from the table's own layout (Index(l, m) for l, m ≤ lmax; slots < _slots).
        ref T a0 = ref MemoryMarshal.GetArrayDataReference(a);
        ref T b0 = ref MemoryMarshal.GetArrayDataReference(b);
        ref int slot0 = ref MemoryMarshal.GetArrayDataReference(slotOf);
        ref Vector<T> re0 = ref MemoryMarshal.GetReference(acc);
        ref Vector<T> im0 = ref Unsafe.Add(ref re0, _slots);
        for (int g = 0; g < padded; g += step)
        {
            // Two vectors of bonds at once: the loop's bookkeeping and each accumulator's load and store serve both.
            var x = new Vector<T>(ux, g);
            var y = new Vector<T>(uy, g);
            var z = new Vector<T>(uz, g);
            var x2 = new Vector<T>(ux, g + width);
            var y2 = new Vector<T>(uy, g + width);
            var z2 = new Vector<T>(uz, g + width);
            var powRe = new Vector<T>(weight, g); // weight · (x + iy)^m
            var powIm = Vector<T>.Zero;
            var powRe2 = new Vector<T>(weight, g + width);
            var powIm2 = Vector<T>.Zero;
            for (int m = 0; m <= lmax; m++)
            {
                int index = SphericalHarmonicTable.Index(m, m);
                var p2 = Vector<T>.Zero;
                var p1 = new Vector<T>(diagonal[m]);
                var q2 = Vector<T>.Zero;
                var q1 = p1;
                int slot = Unsafe.Add(ref slot0, index);
                if (slot >= 0)
                {
                    ref var accRe = ref Unsafe.Add(ref re0, slot);
                    ref var accIm = ref Unsafe.Add(ref im0, slot);
                    accRe = Fma(q1, powRe2, Fma(p1, powRe, accRe));
                    accIm = Fma(q1, powIm2, Fma(p1, powIm, accIm));
                }
                for (int l = m + 1; l <= lmax; l++)
                {
                    index += l;
                    var bl = new Vector<T>(Unsafe.Add(ref b0, index));
                    var al = new Vector<T>(Unsafe.Add(ref a0, index));
                    var p = Fma(z, p1, p2 * bl) * al; // SteinhardtMath.LegendreNext, one bond per lane
                    var q = Fma(z2, q1, q2 * bl) * al;
                    slot = Unsafe.Add(ref slot0, index);
                    if (slot >= 0)
                    {
                        ref var accRe = ref Unsafe.Add(ref re0, slot);
                        ref var accIm = ref Unsafe.Add(ref im0, slot);
                        accRe = Fma(q, powRe2, Fma(p, powRe, accRe));
                        accIm = Fma(q, powIm2, Fma(p, powIm, accIm));
                    }
                    (p2, p1) = (p1, p);
                    (q2, q1) = (q1, q);
                }
                var nextRe = Fma(powRe, x, -(powIm * y));
                powIm = Fma(powRe, y, powIm * x);
                powRe = nextRe;
                var nextRe2 = Fma(powRe2, x2, -(powIm2 * y2));
                powIm2 = Fma(powRe2, y2, powIm2 * x2);
                powRe2 = nextRe2;
            }
        }
        LaneSums.Of(acc, row);
        var mean = T.One / T.CreateTruncating(count);
        foreach (ref T value in row) value *= mean;
        return true;
    }

    /// <summary>
    /// The bonds' unit vectors (particle − neighbour, as LAMMPS) in single precision, a vector of bonds at a time; false
    /// when a neighbour sits on the particle. The remainder takes the same operations one at a time, so every bond's
    /// vector is the same wherever it falls.
    /// </summary>
    private static bool UnitVectors(ReadOnlySpan<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> dz, float[] ux, float[] uy, float[] uz)
    {
        const float coincident = (float)SteinhardtMath.CoincidentDistance;
        int count = dx.Length, width = Vector<float>.Count, k = 0;
        var limit = new Vector<float>(coincident);
        for (; k + width <= count; k += width)
        {
            var x = -new Vector<float>(dx[k..]);
            var y = -new Vector<float>(dy[k..]);
            var z = -new Vector<float>(dz[k..]);
            var r = Vector.SquareRoot(x * x + y * y + z * z);
            if (Vector.LessThanOrEqualAny(r, limit)) return false;
            var inv = Vector<float>.One / r;
            (x * inv).CopyTo(ux, k);
            (y * inv).CopyTo(uy, k);
            (z * inv).CopyTo(uz, k);
        }
        for (; k < count; k++)
        {
            float x = -dx[k], y = -dy[k], z = -dz[k];
            float r = MathF.Sqrt(x * x + y * y + z * z);
            if (r <= coincident) return false;
            float inv = 1f / r;
            (ux[k], uy[k], uz[k]) = (x * inv, y * inv, z * inv);
        }
        return true;
    }

    /// <summary>The recurrence's tables in <typeparamref name="T"/>.</summary>
    private (T[] Diagonal, T[] A, T[] B) Table<T>()
    {
        if (typeof(T) == typeof(double)) return ((T[])(object)_diagonal, (T[])(object)_a, (T[])(object)_b);
        return ((T[])(object)_diagonalSingle!, (T[])(object)_aSingle!, (T[])(object)_bSingle!);
    }

    /// <summary>
    /// q̄_lm of particle <paramref name="i"/>: the mean of its own q_lm and its defined neighbours' (each particle's
    /// re then im in one row of <paramref name="own"/>, padded with zeros to whole vectors), summed a vector at a time,
    /// then its q̄_l, ŵ_l, ... (<see cref="Finish"/>)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AverageOf<T>(NeighborList neighbors, int i, int required, T[] own, int stride, Output output, Scratch scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var used = neighbors.Neighbors(i)[..Used(neighbors, i, required)];
        scratch.EnsureNeighbors(used.Length + 1);
        var rows = scratch.Rows;
        int count = 0;
        rows[count++] = i * stride;
        foreach (int j in used)
            if (output.Defined[j]) rows[count++] = j * stride;
        // A vector of the row at a time, summed over the rows in a register (the same sums, in the same order, as row
        // after row into memory, without a load and a store of the sum per row).
        var sum = scratch.Sums<T>()[..stride];
        var inv = new Vector<T>(T.One / T.CreateTruncating(count));
        ref T first = ref MemoryMarshal.GetArrayDataReference(own);
        for (int k = 0; k < stride; k += Vector<T>.Count) // whole vectors: the stride is padded
        {
            var total = Vector.LoadUnsafe(ref first, (nuint)(rows[0] + k));
            for (int r = 1; r < count; r++) total += Vector.LoadUnsafe(ref first, (nuint)(rows[r] + k));
            (total * inv).CopyTo(sum[k..]);
        }
        Finish(i, sum[..(2 * _slots)], output, scratch);
    }

    /// <summary>How many of particle i's neighbours enter its q_lm: all, or the first <see cref="Nearest"/>; 0 when too few.</summary>
    private int Used(NeighborList neighbors, int i, int required)
    {
        int available = neighbors.CountOf(i);
        int need = Math.Max(required, Nearest ?? 1);
        return available < need ? 0 : Nearest ?? available;
    }

    /// <summary>
    /// Queues particle <paramref name="i"/>'s q_lm (<paramref name="row"/>: the real parts by slot, then the imaginary
    /// parts) in the next lane of the waiting particles; <see cref="FinishWaiting"/> turns them into q_l, w_l, ŵ_l and
    /// the components once the lanes are full.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Finish<T>(int i, ReadOnlySpan<T> row, Output output, Scratch scratch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lane = scratch.WaitingCount, width = Vector<double>.Count;
        var re = MemoryMarshal.Cast<Vector<double>, double>(scratch.WaitingRe.AsSpan());
        var im = MemoryMarshal.Cast<Vector<double>, double>(scratch.WaitingIm.AsSpan());
        for (int t = 0; t < _slots; t++)
        {
            re[t * width + lane] = double.CreateTruncating(row[t]);
            im[t * width + lane] = double.CreateTruncating(row[_slots + t]);
        }
        scratch.Waiting[lane] = i;
        if (++scratch.WaitingCount == width) FinishWaiting(output, scratch);
    }

    /// <summary>
    /// q_l, w_l, ŵ_l and the components of the particles <see cref="Finish"/> left waiting, one per lane: the sums are
    /// the same for every particle, so a vector of particles costs about what one did, with the operations of one
    /// particle at a time in their order (the same values). Called when the lanes are full and at the end of each
    /// range of particles; lanes past the waiting ones hold leftovers and are not written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FinishWaiting(Output output, Scratch scratch)
    {
        int waiting = scratch.WaitingCount;
        if (waiting == 0) return;
        var (re, im) = (scratch.WaitingRe, scratch.WaitingIm);
        for (int d = 0; d < _degrees.Length; d++)
        {
            int l = _degrees[d], b = _slotBase[d];
            // Σ_{m=−l..l} |q_lm|², using q_l,−m = (−1)^m q_lm* (so |q_l,−m| = |q_lm|).
            var sum = re[b] * re[b] + im[b] * im[b];
            for (int m = 1; m <= l; m++) sum += new Vector<double>(2) * (re[b + m] * re[b + m] + im[b + m] * im[b + m]);
            var q = SteinhardtMath.Ql(l, sum);
            for (int lane = 0; lane < waiting; lane++) output.Ql[d][scratch.Waiting[lane]] = q[lane];

            if (_wigner is not null)
            {
                var (fullRe, fullIm) = (scratch.FullRe[d], scratch.FullIm[d]);
                _wigner[d].Spread(re.AsSpan(b, l + 1), im.AsSpan(b, l + 1), fullRe, fullIm);
                var w = _wigner[d].Evaluate(fullRe, fullIm);
                for (int lane = 0; lane < waiting; lane++)
                {
                    int i = scratch.Waiting[lane];
                    output.Wl![d][i] = w[lane];
                    output.WlHat![d][i] = SteinhardtMath.WlHat(q[lane], w[lane], sum[lane]);
                }
            }

            if (d == _componentsSlot)
                for (int lane = 0; lane < waiting; lane++)
                {
                    if (q[lane] < NormalisationEpsilon) continue;
                    double norm = 1 / Math.Sqrt(sum[lane]);
                    var target = output.Components.AsSpan(scratch.Waiting[lane] * (2 * l + 1), 2 * l + 1);
                    for (int m = 0; m <= l; m++)
                    {
                        double cr = re[b + m][lane] * norm, ci = im[b + m][lane] * norm;
                        target[l + m] = new Complex(cr, ci);
                        if (m > 0) target[l - m] = (m & 1) == 0 ? new Complex(cr, -ci) : new Complex(-cr, ci);
                    }
                }
        }
        scratch.WaitingCount = 0;
    }

    /// <summary>
    /// Runs <paramref name="body"/> over [start, end) ranges of particles: in parallel chunks for large systems, on the
    /// cores the budget has idle (each worker with its own scratch, so nothing is allocated per particle), on the calling
    /// thread otherwise.
    /// </summary>
    private void ForChunks(int n, Action<int, int, Scratch> body)
    {
        int chunks = (n + ChunkSize - 1) / ChunkSize;
        if (n < ParallelThreshold || MaxDegreeOfParallelism == 1 || chunks <= 1)
        {
            body(0, n, new Scratch(this));
            return;
        }
        _cores.For(chunks, () => new Scratch(this),
            (chunk, scratch) => body(chunk * ChunkSize, Math.Min(n, (chunk + 1) * ChunkSize), scratch), MaxDegreeOfParallelism);
    }

    /// <summary>One worker's working arrays.</summary>
    private sealed class Scratch(Steinhardt owner)
    {
        private double[] _x = new double[32], _y = new double[32], _z = new double[32], _weight = new double[32];
        private float[] _xSingle = new float[32], _ySingle = new float[32], _zSingle = new float[32], _weightSingle = new float[32];
        // Room for a row padded to whole vectors of either type.
        private readonly double[] _sums = new double[2 * owner._slots + Vector<double>.Count];
        private readonly float[] _sumsSingle = new float[2 * owner._slots + Vector<float>.Count];
        public readonly Vector<double>[] Acc = new Vector<double>[2 * owner._slots];

        /// <summary>The bonds' unit vectors and weights, in <typeparamref name="T"/>.</summary>
        public (T[] X, T[] Y, T[] Z, T[] Weight) Bonds<T>() => typeof(T) == typeof(double)
            ? ((T[])(object)_x, (T[])(object)_y, (T[])(object)_z, (T[])(object)_weight)
            : ((T[])(object)_xSingle, (T[])(object)_ySingle, (T[])(object)_zSingle, (T[])(object)_weightSingle);

        /// <summary>
        /// Room for a particle's q_lm in <typeparamref name="T"/> (the real parts by slot, then the imaginary parts) and
        /// its padding.
        /// </summary>
        public Span<T> Sums<T>() => typeof(T) == typeof(double) ? (T[])(object)_sums : (T[])(object)_sumsSingle;
        // Particles waiting to be finished (FinishWaiting), one per lane: which, their q_lm by slot (real and imaginary
        // parts), and room for the full components of each degree.
        public readonly int[] Waiting = new int[Vector<double>.Count];
        public int WaitingCount;
        public readonly Vector<double>[] WaitingRe = new Vector<double>[owner._slots];
        public readonly Vector<double>[] WaitingIm = new Vector<double>[owner._slots];
        public readonly Vector<double>[][] FullRe = [.. owner._degrees.Select(l => new Vector<double>[2 * l + 1])];
        public readonly Vector<double>[][] FullIm = [.. owner._degrees.Select(l => new Vector<double>[2 * l + 1])];

        /// <summary>Where the rows a particle's mean adds start in the averaging's array: its own, then its neighbours'.</summary>
        public int[] Rows { get; private set; } = new int[32];

        /// <summary>Room for this many (padded) neighbours; grows rarely (wide cutoffs), never shrinks.</summary>
        public void EnsureNeighbors(int count)
        {
            if (_x.Length >= count) return;
            int size = Math.Max(count, 2 * _x.Length);
            (_x, _y, _z, _weight) = (new double[size], new double[size], new double[size], new double[size]);
            (_xSingle, _ySingle, _zSingle, _weightSingle) = (new float[size], new float[size], new float[size], new float[size]);
            Rows = new int[size];
        }
    }

    /// <summary>The result arrays being filled (each particle's entries written by exactly one worker).</summary>
    private sealed class Output
    {
        public Output(int n, int degrees, bool wl, int? componentsDegree)
        {
            // Rented (fresh pages for a large frame's values, every frame, cost more than computing them) and uncleared:
            // the workers write every defined particle's values and Compute zeroes the others'.
            Ql = Rent(degrees, n);
            if (wl)
            {
                Wl = Rent(degrees, n);
                WlHat = Rent(degrees, n);
            }
            Components = componentsDegree is { } l ? new Complex[(long)n * (2 * l + 1)] : [];
            Defined = new bool[n];
        }

        private static double[][] Rent(int degrees, int n)
        {
            var arrays = new double[degrees][];
            for (int d = 0; d < degrees; d++) arrays[d] = ArrayPool<double>.Shared.Rent(n);
            return arrays;
        }

        /// <summary>Zero values for an undefined particle, as LAMMPS writes them.</summary>
        public void Undefined(int i)
        {
            foreach (var values in Ql) values[i] = 0;
            if (Wl is null || WlHat is null) return;
            foreach (var values in Wl) values[i] = 0;
            foreach (var values in WlHat) values[i] = 0;
        }

        public readonly double[][] Ql;
        public readonly double[][]? Wl;
        public readonly double[][]? WlHat;
        public readonly Complex[] Components;
        public readonly bool[] Defined;
    }
}
