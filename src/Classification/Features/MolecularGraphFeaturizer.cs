using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;

namespace StreamMonitor.Classification.Features;

/// <summary>
/// Computes <see cref="MolecularGraphFeatureSpec"/> rows: one per molecule, in molecule-id order (that of the
/// <see cref="MolecularFeaturizer"/> rows), each anchored on the molecule's center atom. Every molecule is defined: its
/// own atoms are nodes even where no other atom is in range.
/// </summary>
/// <param name="cores">The budget the neighbourhood search borrows from; null for <see cref="CoreBudget.Shared"/>.</param>
public sealed class MolecularGraphFeaturizer(MolecularGraphFeatureSpec spec, CoreBudget? cores = null) : IFeaturizer
{
    private readonly MolecularNeighborhoods _neighborhoods = new(spec.Parameters.Roles, spec.Cutoff, spec.Parameters.Bonds, cores);

    public FeatureSpec Spec => spec;

    public FeatureRows Compute(Frame frame)
    {
        var neighborhoods = _neighborhoods.Compute(frame);
        int count = neighborhoods.Count, width = spec.Width;
        var values = new double[count * width];
        for (int m = 0; m < count; m++)
        {
            var row = values.AsSpan(m * width, width);
            var nodes = neighborhoods.NodesOf(m);
            for (int k = 0; k < Math.Min(nodes.Length, spec.Nodes); k++)
                GraphFeaturizer.WriteNode(row, k, nodes[k].Element, nodes[k].Own, nodes[k].Dx, nodes[k].Dy, nodes[k].Dz);
        }
        var defined = new bool[count];
        Array.Fill(defined, true);
        return new FeatureRows(width, values, neighborhoods.MoleculeIds.ToArray(), neighborhoods.CenterAtoms.ToArray(), defined);
    }
}
