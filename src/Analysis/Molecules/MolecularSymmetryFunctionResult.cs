namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// The symmetry functions of one frame: a molecules × features matrix (row-major, rows in molecule-id order) with the
/// molecule ids, center atoms and neighbour counts (molecules within r_max). Immutable, so it can be handed to
/// classifiers and writers on other threads.
/// </summary>
public sealed class MolecularSymmetryFunctionResult
{
    private readonly int[] _ids;
    private readonly int[] _centerAtoms;
    private readonly int[] _neighborCounts;
    private readonly double[] _features;

    internal MolecularSymmetryFunctionResult(int[] ids, int[] centerAtoms, int[] neighborCounts, double[] features, int featureCount)
    {
        _ids = ids;
        _centerAtoms = centerAtoms;
        _neighborCounts = neighborCounts;
        _features = features;
        FeatureCount = featureCount;
    }

    /// <summary>Number of molecules (rows).</summary>
    public int Count => _ids.Length;

    /// <summary>Number of features (columns), 24 for the published parameter sets.</summary>
    public int FeatureCount { get; }

    public ReadOnlySpan<int> MoleculeIds => _ids;

    /// <summary>Frame index of each molecule's center atom.</summary>
    public ReadOnlySpan<int> CenterAtoms => _centerAtoms;

    /// <summary>Neighbour molecules (periodic images included) closer than r_max.</summary>
    public ReadOnlySpan<int> NeighborCounts => _neighborCounts;

    /// <summary>The whole matrix, row-major: element (m, f) at <c>m * FeatureCount + f</c>.</summary>
    public ReadOnlySpan<double> Features => _features;

    public ReadOnlySpan<double> Row(int molecule) => _features.AsSpan(molecule * FeatureCount, FeatureCount);

    public double this[int molecule, int feature]
    {
        get
        {
            if ((uint)feature >= (uint)FeatureCount) throw new ArgumentOutOfRangeException(nameof(feature));
            return _features[molecule * FeatureCount + feature];
        }
    }

    /// <summary>A copy as a 2-D array.</summary>
    public double[,] ToMatrix()
    {
        var m = new double[Count, FeatureCount];
        for (int i = 0; i < Count; i++)
            for (int f = 0; f < FeatureCount; f++)
                m[i, f] = _features[i * FeatureCount + f];
        return m;
    }
}
