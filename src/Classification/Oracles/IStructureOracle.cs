using StreamMonitor.Core;

namespace StreamMonitor.Classification.Oracles;

/// <summary>
/// An independent judge of local structure (not a trained model), used to label configurations that are not perfect
/// lattices and to check a model on them.
/// </summary>
public interface IStructureOracle
{
    /// <summary>The name a manifest line (<c>oracle:NAME</c>) and <c>evaluate --oracle NAME</c> use.</summary>
    string Name { get; }

    /// <summary>Labels every atom of each frame; the result has one entry per frame, in order.</summary>
    IReadOnlyList<OracleLabels> Label(IReadOnlyList<Frame> frames, CancellationToken cancellationToken = default);
}
