using StreamMonitor.Classification.Models;
using StreamMonitor.Ingest;

namespace StreamMonitor.Classification.Oracles;

/// <summary>Scores a model against an oracle on the thermal frames of a trajectory (the model sees what a live run gives it).</summary>
public static class OracleEvaluation
{
    /// <summary>Frames per oracle call.</summary>
    public const int BatchSize = 8;

    /// <param name="agreement">Where the frames are added (several trajectories can share one).</param>
    /// <param name="progress">Called after each batch with the last frame index done and the agreement so far.</param>
    public static void Evaluate(ClassifierModel model, IStructureOracle oracle, TrajectoryReader reader, long first, long? end, int every,
        OracleAgreement agreement, Action<long, OracleAgreement>? progress = null, CancellationToken cancellationToken = default)
    {
        if (model.File.Features.PerMolecule) throw new ArgumentException($"model {model.File.Name} classifies molecules; the {oracle.Name} oracle labels atoms");
        long before = agreement.Frames;
        foreach (var batch in FrameBatches.Read(reader, first, end, every, BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var labels = oracle.Label(batch, cancellationToken);
            for (int f = 0; f < batch.Count; f++)
            {
                var (rows, predictions) = model.Classify(batch[f]);
                agreement.Add(labels[f], rows, predictions);
            }
            progress?.Invoke(batch[^1].Index, agreement);
        }
        if (agreement.Frames == before) throw new ArgumentException($"{reader.Path}: no frame in the chosen range (first {first}, end {end?.ToString() ?? "none"}, every {every})");
    }
}
