using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Training;

/// <summary>
/// Trains a graph network (<see cref="GnnModule"/>) on a dataset of <see cref="GraphFeatureSpec"/> rows, the same way
/// <see cref="MlpTrainer"/> trains an MLP (<see cref="ClassifierFitting"/>). <see cref="TrainingOptions.Hidden"/> gives
/// one width per message-passing layer, all equal (each layer adds to the node states). Inputs are not standardised:
/// the network reads distances, in the trajectory's length unit, through a radial basis up to the cutoff.
/// </summary>
/// <param name="basis">Gaussian radial basis functions per edge.</param>
public sealed class GnnTrainer(TrainingOptions? options = null, int basis = GnnTrainer.DefaultBasis)
{
    public const int DefaultBasis = 16;

    /// <summary>Hidden widths when none are given: three message-passing layers of 32.</summary>
    public static IReadOnlyList<int> DefaultHidden { get; } = [32, 32, 32];

    private readonly TrainingOptions _options = options ?? new TrainingOptions { Hidden = DefaultHidden };

    public ModelFile Train(Dataset data, string name, Action<TrainingEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        if (data.Features is not GraphFeatureSpec graph)
            throw new ArgumentException($"a graph network trains on graph features ({GraphFeatureSpec.KindName} or {MolecularGraphFeatureSpec.KindName}); the dataset has {data.Features.Kind} (make it with 'dataset --features graph' for atoms or 'molgraph:PRESET' for molecules)");
        if (_options.Hidden.Distinct().Count() != 1)
            throw new ArgumentException($"a graph network's layers share one width (hidden {string.Join(",", _options.Hidden)}); give it once per layer, e.g. 32,32,32");
        if (basis < 1) throw new ArgumentException($"the radial basis needs at least one function, got {basis}");
        var (train, validation) = ClassifierFitting.Split(data, _options);

        torch.manual_seed(_options.Seed);
        using var noScope = NewDisposeScope();
        int hidden = _options.Hidden[0];
        var shape = GnnParameters.Blank(graph.Nodes, graph.Types, hidden, _options.Hidden.Count, basis, graph.Cutoff, data.Classes.Count);
        using var module = GnnModule.Untrained(shape);
        Dictionary<string, float[]> best = [];
        var outcome = ClassifierFitting.Fit(_options, module.forward, module.parameters(),
            (Rows(train), ClassifierFitting.Labels(train)), (Rows(validation), ClassifierFitting.Labels(validation)),
            () => best = module.Weights(), progress, cancellationToken, validationChunk: GnnNetwork.ChunkRows(shape));
        var network = shape.WithWeights(best);
        return ClassifierFitting.Model(name, data, network, outcome, train.Count, validation.Count, _options);
    }

    private static Tensor Rows(Dataset data) => tensor(data.Values.Select(v => (float)v).ToArray(), [data.Count, data.Width], dtype: float32);
}
