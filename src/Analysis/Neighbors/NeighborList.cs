namespace StreamMonitor.Analysis.Neighbors;

/// <summary>
/// Neighbours of every particle in compressed rows: particle i's neighbours are entries Offsets[i] .. Offsets[i+1]-1,
/// sorted by distance (ties by index) unless <see cref="SortedByDistance"/> says otherwise, with the displacement
/// (neighbour − particle, the periodic image that is in range) and the distance (a list built in cell order works its
/// distances out from the displacements when first asked). Immutable once built, so one list can feed several computes.
/// </summary>
/// <remarks>
/// A list built by <see cref="NeighborQuery"/> keeps its entries in arrays rented from the shared pool (a large frame's
/// list is hundreds of megabytes, and fresh pages for it every frame cost more than filling them). Whoever is done with
/// it, such as a pipeline once the frame is summarised, may <see cref="Dispose"/> it to give them back; a list that is
/// never disposed is collected as usual.
/// </remarks>
public sealed class NeighborList : IDisposable
{
    private readonly int[] _offsets;
    private int[] _index;
    private float[] _dx;
    private float[] _dy;
    private float[] _dz;
    private float[]? _distance; // null until asked for, in a list built without distances
    private readonly object _gate = new();
    private readonly int[]? _order;
    private readonly bool _rented;

    /// <param name="distance">Each entry's distance; null to work them out from the displacements on first use.</param>
    internal NeighborList(int[] offsets, int[] index, float[] dx, float[] dy, float[] dz, float[]? distance, double cutoff, int? requested,
        bool sorted = true, int[]? order = null, bool rented = false)
    {
        _rented = rented;
        SortedByDistance = sorted;
        _order = order;
        _offsets = offsets;
        _index = index;
        _dx = dx;
        _dy = dy;
        _dz = dz;
        _distance = distance;
        Cutoff = cutoff;
        RequestedNeighbors = requested;
    }

    /// <summary>Number of particles.</summary>
    public int Count => _offsets.Length - 1;

    /// <summary>Total number of (directed) neighbour entries.</summary>
    public int PairCount => _offsets[^1];

    /// <summary>The search radius the list was built with.</summary>
    public double Cutoff { get; }

    /// <summary>
    /// The particle at each position of a list whose positions are not the particles (one in cell order: rows and
    /// neighbour indices are positions); empty when position i is particle i.
    /// </summary>
    public ReadOnlySpan<int> Order => _order;

    /// <summary>Whether positions are not particles (see <see cref="Order"/>).</summary>
    public bool Permuted => _order is not null;

    /// <summary>The same list with position i being particle i (itself when it already is): rows and indices mapped through <see cref="Order"/>.</summary>
    public NeighborList InParticleOrder()
    {
        if (_order is null) return this;
        int n = Count;
        var position = new int[n];
        for (int p = 0; p < n; p++) position[_order[p]] = p;
        var offsets = new int[n + 1];
        for (int i = 0; i < n; i++) offsets[i + 1] = offsets[i] + CountOf(position[i]);
        int pairs = offsets[n];
        var (index, dx, dy, dz, distance) = (new int[pairs], new float[pairs], new float[pairs], new float[pairs], new float[pairs]);
        var distances = AllDistances;
        for (int i = 0; i < n; i++)
        {
            int from = _offsets[position[i]], to = offsets[i];
            for (int e = 0; e < offsets[i + 1] - offsets[i]; e++)
            {
                index[to + e] = _order[_index[from + e]];
                (dx[to + e], dy[to + e], dz[to + e], distance[to + e]) = (_dx[from + e], _dy[from + e], _dz[from + e], distances[from + e]);
            }
        }
        return new NeighborList(offsets, index, dx, dy, dz, distance, Cutoff, RequestedNeighbors, SortedByDistance);
    }

    /// <summary>Whether each row is in order of distance; false for a list built unsorted, in the order the search met them.</summary>
    public bool SortedByDistance { get; }

    /// <summary>For a k-nearest list, k; null for a cutoff list.</summary>
    public int? RequestedNeighbors { get; }

    public ReadOnlySpan<int> Offsets => _offsets;

    public int CountOf(int i) => _offsets[i + 1] - _offsets[i];

    public ReadOnlySpan<int> Neighbors(int i) => _index.AsSpan(_offsets[i], CountOf(i));
    public ReadOnlySpan<float> Distances(int i) => Distance().AsSpan(_offsets[i], CountOf(i));
    public ReadOnlySpan<float> Dx(int i) => _dx.AsSpan(_offsets[i], CountOf(i));
    public ReadOnlySpan<float> Dy(int i) => _dy.AsSpan(_offsets[i], CountOf(i));
    public ReadOnlySpan<float> Dz(int i) => _dz.AsSpan(_offsets[i], CountOf(i));

    /// <summary>All entries, for loops over every pair.</summary>
    public ReadOnlySpan<int> AllNeighbors => _index.AsSpan(0, PairCount);
    public ReadOnlySpan<float> AllDistances => Distance().AsSpan(0, PairCount);

    /// <summary>The distances: stored, or worked out once from the displacements (in double, then rounded).</summary>
    private float[] Distance()
    {
        if (Volatile.Read(ref _distance) is { } stored) return stored;
        lock (_gate)
        {
            if (_distance is { } other) return other;
            int pairs = PairCount;
            var distance = _rented ? System.Buffers.ArrayPool<float>.Shared.Rent(pairs) : new float[pairs];
            for (int e = 0; e < pairs; e++)
            {
                double x = _dx[e], y = _dy[e], z = _dz[e];
                distance[e] = (float)Math.Sqrt(x * x + y * y + z * z);
            }
            Volatile.Write(ref _distance, distance);
            return distance;
        }
    }

    /// <summary>
    /// Gives rented entry arrays back to the pool. The list must not be read afterwards: a read of its entries then
    /// throws rather than returning what the pool's next user wrote.
    /// </summary>
    public void Dispose()
    {
        if (!_rented) return;
        float[]?[] fields;
        int[] index;
        lock (_gate)
        {
            (index, fields) = (_index, [_dx, _dy, _dz, _distance]);
            (_index, _dx, _dy, _dz, _distance) = ([], [], [], [], []);
        }
        if (index.Length == 0) return; // disposed already
        System.Buffers.ArrayPool<int>.Shared.Return(index);
        foreach (var field in fields)
            if (field is not null) System.Buffers.ArrayPool<float>.Shared.Return(field);
    }
}
