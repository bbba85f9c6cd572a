using ILGPU.Runtime;
using StreamMonitor.Classification.Features;
using StreamMonitor.Core;

namespace StreamMonitor.Classification.Gpu;

/// <summary>The <see cref="MolecularFeatureSpec"/> features computed by <see cref="IlgpuSymmetryFunctions"/>.</summary>
public sealed class IlgpuMolecularFeaturizer(MolecularFeatureSpec spec, Accelerator accelerator) : IFeaturizer, IDisposable
{
    private readonly IlgpuSymmetryFunctions _functions = new(spec.Parameters, accelerator);

    public FeatureSpec Spec => spec;

    public FeatureRows Compute(Frame frame) => MolecularFeaturizer.Rows(_functions.Compute(frame));

    public void Dispose() => _functions.Dispose();
}
