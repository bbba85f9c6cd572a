namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// The heavy-atom neighbourhoods of one frame's molecules (<see cref="MolecularNeighborhoods"/>), in molecule-id order
/// (the order of <see cref="OrientedMolecules"/>): molecule m's nodes are <see cref="NodesOf"/>(m), its own atoms first,
/// then the others nearest first. Immutable.
/// </summary>
public sealed class MolecularNeighborhoodResult
{
    private readonly int[] _ids;
    private readonly int[] _centerAtoms;
    private readonly int[] _offsets;
    private readonly NeighborhoodNode[] _nodes;

    internal MolecularNeighborhoodResult(int[] ids, int[] centerAtoms, int[] offsets, NeighborhoodNode[] nodes)
    {
        _ids = ids;
        _centerAtoms = centerAtoms;
        _offsets = offsets;
        _nodes = nodes;
    }

    public int Count => _ids.Length;

    /// <summary>Molecule ids, increasing.</summary>
    public ReadOnlySpan<int> MoleculeIds => _ids;

    /// <summary>Frame index of each molecule's center atom (its role's, as in <see cref="OrientedMolecules.CenterAtoms"/>).</summary>
    public ReadOnlySpan<int> CenterAtoms => _centerAtoms;

    public ReadOnlySpan<NeighborhoodNode> NodesOf(int m) => _nodes.AsSpan(_offsets[m], _offsets[m + 1] - _offsets[m]);

    /// <summary>The most nodes a molecule of the frame has.</summary>
    public int MaxNodes
    {
        get
        {
            int max = 0;
            for (int m = 0; m < Count; m++) max = Math.Max(max, _offsets[m + 1] - _offsets[m]);
            return max;
        }
    }
}
