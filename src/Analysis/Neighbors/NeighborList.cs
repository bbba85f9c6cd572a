namespace StreamMonitor.Analysis.Neighbors;

/// <summary>
/// Neighbours of every particle in compressed rows: particle i's neighbours are entries Offsets[i] .. Offsets[i+1]-1,
/// sorted by distance (ties by index) unless <see cref="SortedByDistance"/> says otherwise, with the displacement (neighbour − particle, the periodic image that is in range) and the
/// distance. Immutable once built, so one list can feed several computes.
/// </summary>
public sealed class NeighborList
{
    private readonly int[] _offsets;
    private readonly int[] _index;
    private readonly float[] _dx;
    private readonly float[] _dy;
    private readonly float[] _dz;
    private readonly float[] _distance;

    internal NeighborList(int[] offsets, int[] index, float[] dx, float[] dy, float[] dz, float[] distance, double cutoff, int? requested,
        bool sorted = true)
    {
        SortedByDistance = sorted;
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

    /// <summary>Whether each row is in order of distance; false for a list built unsorted, in the order the search met them.</summary>
    public bool SortedByDistance { get; }

    /// <summary>For a k-nearest list, k; null for a cutoff list.</summary>
    public int? RequestedNeighbors { get; }

    public ReadOnlySpan<int> Offsets => _offsets;

    public int CountOf(int i) => _offsets[i + 1] - _offsets[i];

    public ReadOnlySpan<int> Neighbors(int i) => _index.AsSpan(_offsets[i], CountOf(i));
    public ReadOnlySpan<float> Distances(int i) => _distance.AsSpan(_offsets[i], CountOf(i));
    public ReadOnlySpan<float> Dx(int i) => _dx.AsSpan(_offsets[i], CountOf(i));
    public ReadOnlySpan<float> Dy(int i) => _dy.AsSpan(_offsets[i], CountOf(i));
    public ReadOnlySpan<float> Dz(int i) => _dz.AsSpan(_offsets[i], CountOf(i));

    /// <summary>All entries, for loops over every pair.</summary>
    public ReadOnlySpan<int> AllNeighbors => _index.AsSpan(0, PairCount);
    public ReadOnlySpan<float> AllDistances => _distance.AsSpan(0, PairCount);
}
