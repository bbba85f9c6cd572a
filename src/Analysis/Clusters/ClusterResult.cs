namespace StreamMonitor.Analysis.Clusters;

/// <summary>
/// The clusters of one frame, from <see cref="ClusterAnalysis.Compute(Neighbors.NeighborList, ReadOnlySpan{bool}, Core.SimulationBox, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float})"/>.
/// Immutable: it owns its arrays, so it can be kept, shared between threads, or sent on after the frame is disposed.
/// </summary>
public sealed class ClusterResult
{
    private readonly int[] _clusterOf;
    private readonly Cluster[] _clusters;

    internal ClusterResult(int[] clusterOf, Cluster[] clusters, int memberCount)
    {
        _clusterOf = clusterOf;
        _clusters = clusters;
        MemberCount = memberCount;
    }

    /// <summary>Number of particles the compute saw.</summary>
    public int ParticleCount => _clusterOf.Length;

    /// <summary>Number of member particles (the ones that may belong to a cluster).</summary>
    public int MemberCount { get; }

    /// <summary>Per particle: the id of its cluster (1 = largest), or 0 for a particle that is not a member.</summary>
    public ReadOnlySpan<int> ClusterIds => _clusterOf;

    /// <summary>The clusters in order of id (largest first); cluster <c>k</c> is at index <c>k - 1</c>.</summary>
    public IReadOnlyList<Cluster> Clusters => _clusters;

    /// <summary>Number of clusters (a single member with no member neighbour is a cluster of size 1).</summary>
    public int Count => _clusters.Length;

    /// <summary>Size of the largest cluster (n_max, the classical nucleation coordinate); 0 when there are no members.</summary>
    public int LargestSize => _clusters.Length > 0 ? _clusters[0].Size : 0;

    /// <summary>The largest cluster, or null when there are no members.</summary>
    public Cluster? Largest => _clusters.Length > 0 ? _clusters[0] : null;
}
