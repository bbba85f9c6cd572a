using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;

namespace StreamMonitor.Classification.Features;

/// <summary>Computes <see cref="MolecularFeatureSpec"/> rows: one per molecule, in molecule-id order.</summary>
/// <param name="cores">The budget the symmetry-function loops borrow from; null for <see cref="CoreBudget.Shared"/>.</param>
public sealed class MolecularFeaturizer(MolecularFeatureSpec spec, CoreBudget? cores = null) : IFeaturizer
{
    private readonly MolecularSymmetryFunctions _functions = new(spec.Parameters, cores: cores);

    public FeatureSpec Spec => spec;

    public FeatureRows Compute(Frame frame) => Rows(_functions.Compute(frame));

    /// <summary>The rows of a symmetry-function result (every molecule is defined).</summary>
    internal static FeatureRows Rows(MolecularSymmetryFunctionResult result)
    {
        var defined = new bool[result.Count];
        Array.Fill(defined, true);
        return new FeatureRows(result.FeatureCount, result.Features.ToArray(), result.MoleculeIds.ToArray(), result.CenterAtoms.ToArray(), defined);
    }
}
