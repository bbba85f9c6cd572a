using StreamMonitor.Core;

namespace StreamMonitor.Classification.Features;

/// <summary>Turns a frame into the rows a model classifies. Implementations hold no per-frame state and may be shared.</summary>
public interface IFeaturizer
{
    FeatureSpec Spec { get; }

    /// <summary>The features of every atom or molecule of <paramref name="frame"/>; throws ArgumentException naming what the frame lacks.</summary>
    FeatureRows Compute(Frame frame);
}
