using System.Diagnostics;
using StreamMonitor.Analysis.Clusters;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Classification.Batching;
using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Models;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Core;

namespace StreamMonitor.Grains.Pipeline;

/// <summary>
/// Turns one frame into a <see cref="FrameSummary"/>: features, classification (through the shared
/// <see cref="MicroBatcher"/> when given, so many runs fill one batch), the class census, and the largest cluster of
/// neighbouring crystalline rows (n_max). Holds no per-frame state; one instance can serve a run for its lifetime.
/// </summary>
public sealed class FrameSummarizer
{
    private readonly ClassifierModel _model;
    private readonly MicroBatcher? _batcher;
    private readonly SummarizerOptions _options;
    private readonly bool[] _crystalline;
    private readonly int _q6Column;
    private readonly ClusterAnalysis _clusters = new();

    public FrameSummarizer(ClassifierModel model, SummarizerOptions? options = null, MicroBatcher? batcher = null)
    {
        _model = model;
        _options = options ?? new SummarizerOptions();
        _options.Validate(model.Classes);
        if (batcher is not null && (batcher.InputWidth != model.Network.InputCount || batcher.OutputWidth != model.Network.OutputCount))
            throw new ArgumentException($"the batcher takes {batcher.InputWidth} → {batcher.OutputWidth} values, the model {model.Network.InputCount} → {model.Network.OutputCount}");
        _batcher = batcher;
        var crystalline = _options.CrystallineClasses ?? model.Classes.Except(SummarizerOptions.NonCrystallineDefaults).ToArray();
        _crystalline = model.Classes.Select(crystalline.Contains).ToArray();
        CrystallineClasses = model.Classes.Where(crystalline.Contains).ToArray();
        var names = model.File.Features.Names;
        _q6Column = names.ToList().IndexOf("q6") is var plain and >= 0 ? plain : names.ToList().IndexOf("avg_q6");
    }

    public IReadOnlyList<string> CrystallineClasses { get; }

    public async ValueTask<FrameSummary> SummarizeAsync(string runId, Frame frame, CancellationToken cancellationToken = default)
    {
        long start = Stopwatch.GetTimestamp();
        var rows = _model.Featurizer.Compute(frame);
        var predictions = _batcher is null
            ? _model.Predict(rows)
            : _model.Decide(await _batcher.EvaluateAsync(rows.Values, cancellationToken).ConfigureAwait(false), rows.Defined);

        var counts = predictions.Counts();
        var member = new bool[rows.Count];
        int crystalline = 0;
        for (int r = 0; r < rows.Count; r++)
            if (predictions.Labels[r] >= 0 && _crystalline[predictions.Labels[r]])
            {
                member[r] = true;
                crystalline++;
            }
        var largest = LargestCluster(frame, rows, member);
        int dominant = -1;
        for (int c = 0; c < _crystalline.Length; c++)
            if (_crystalline[c] && counts[c] > 0 && (dominant < 0 || counts[c] > counts[dominant])) dominant = c;

        return new FrameSummary
        {
            RunId = runId,
            Frame = frame.Index,
            Step = frame.Step,
            Time = frame.Time,
            Count = rows.Count,
            Classes = _model.Classes,
            ClassCounts = counts[..^1],
            Undefined = counts[^1],
            Crystalline = crystalline,
            CrystallineClasses = CrystallineClasses,
            DominantCrystal = dominant >= 0 ? _model.Classes[dominant] : null,
            NMax = largest?.Size ?? 0,
            LargestCenter = largest is { } l ? [l.CenterOfMass.X, l.CenterOfMass.Y, l.CenterOfMass.Z] : null,
            LargestRadiusOfGyration = largest?.RadiusOfGyration,
            MeanQ6 = MeanOfColumn(rows, _q6Column),
            LatencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds,
        };
    }

    private Cluster? LargestCluster(Frame frame, FeatureRows rows, bool[] member)
    {
        if (!frame.Box.HasCell || rows.Count == 0) return null;
        if (rows.Neighbors is { } links) return _clusters.Compute(frame, links, member).Largest;
        var x = new float[rows.Count];
        var y = new float[rows.Count];
        var z = new float[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            x[r] = frame.X[rows.Atoms[r]];
            y[r] = frame.Y[rows.Atoms[r]];
            z[r] = frame.Z[rows.Atoms[r]];
        }
        double cutoff = _options.MolecularClusterCutoff;
        var centres = new NeighborQuery(frame.Box, x, y, z, cutoff).WithinCutoff(cutoff);
        return _clusters.Compute(centres, member, frame.Box, x, y, z).Largest;
    }

    private static double? MeanOfColumn(FeatureRows rows, int column)
    {
        if (column < 0) return null;
        double sum = 0;
        int n = 0;
        for (int r = 0; r < rows.Count; r++)
            if (rows.Defined[r])
            {
                sum += rows.Values[r * rows.Width + column];
                n++;
            }
        return n == 0 ? null : sum / n;
    }
}
