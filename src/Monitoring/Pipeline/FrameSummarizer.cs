using System.Diagnostics;
using StreamMonitor.Analysis.Clusters;
using StreamMonitor.Analysis.Interfaces;
using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Classification.Batching;
using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Models;
using StreamMonitor.Core;

namespace StreamMonitor.Monitoring.Pipeline;

/// <summary>
/// Turns one frame into a <see cref="FrameSummary"/>: features, classification (through the shared
/// <see cref="MicroBatcher"/> when given, so many runs fill one batch), the class census, the largest cluster of
/// neighbouring crystalline rows (n_max) split into surface and core, and, when an axis is configured, the position and
/// velocity of a crystal–liquid interface.
/// </summary>
/// <remarks>
/// <para>
/// With <see cref="ComputeSlots"/> the frame computes in two slots with the wait for the shared network between them:
/// the features in one, then the slot is left while the rows wait in the batcher, then the census, clusters, surface and
/// interface in a second one, ahead of frames not yet started. A frame waiting for its batch therefore holds no core,
/// other runs' frames compute their features meanwhile, and their rows join the same batch: one batch can hold the rows
/// of many more runs than there are slots.
/// </para>
/// <para>
/// Surface and core follow Kuroshima et al. (2024): a row is at a surface when fewer than a threshold of rows — every
/// row, liquid included — lie within a radius (see <see cref="SummarizerOptions"/> for the molecular and the atomic
/// defaults). Counting every row rather than only the crystal's own keeps the split where the material ends, so it
/// stays put while a nanocluster melts: melting from outside in then shows as surface rows lost while the core holds,
/// which is what the melting detector reads. (Counting only crystalline neighbours would move the surface inwards with
/// the melt front and make every retreating crystal look core-melted.) Only the largest cluster's rows are tested, so
/// the cost follows the cluster, not the frame. A cluster with (next to) no row at a surface — in a dense periodic
/// system, a nucleus in its own melt — has no free surface to split by: Surface and Core stay null there rather than
/// read as an all-core crystal, so the melting detector calls its melting bulk.
/// </para>
/// <para>
/// Per-run state: the interface velocity is the finite difference of the positions of the last two frames with a fitted
/// interface, so the summarizer keeps those (an <see cref="InterfaceTracker"/>). One instance therefore serves one run
/// for its lifetime, with frames given in order and one call at a time. A frame whose index does not increase (the
/// file was restarted or replaced) or whose time goes back starts the history over, so no velocity spans a restart.
/// </para>
/// </remarks>
public sealed class FrameSummarizer
{
    private const int VelocityWindow = 2; // consecutive fitted frames

    /// <summary>
    /// The largest cluster has a free surface to split by when at least this share of the frame's rows are its rows at a
    /// surface. A cluster or film in vacuum has percents of its rows there (a 10⁷-atom droplet still 1–2 %), a dense
    /// liquid under 10⁻⁴ (its rare sparse spots; Lennard-Jones at ρ ≥ 0.8): a few such rows must not turn a dense
    /// system's melting into "core" melting.
    /// </summary>
    private const double FreeSurfaceShare = 1e-3;

    private readonly ClassifierModel _model;
    private readonly IFeaturizer _featurizer;
    private readonly MicroBatcher? _batcher;
    private readonly SummarizerOptions _options;
    private readonly bool[] _crystalline;
    private readonly int _q6Column;
    private readonly ClusterAnalysis _clusters;
    private readonly SurfaceClassifier? _surface;
    private readonly MolecularSymmetryFunctionParameters? _molecules;
    private readonly bool[] _interfaceSolid;
    private readonly SolidFractionProfile? _profile;
    private readonly InterfaceFit? _fit;
    private readonly InterfaceTracker _tracker = new(VelocityWindow);
    private readonly CoreBudget? _cores;
    private long? _lastFrame;

    /// <param name="featurizer">The run's own featurizer for the model's features; null for the model's.</param>
    /// <param name="cores">
    /// The budget the summary's own loops (molecular clusters, surface) borrow from, the one the run's slots and
    /// featurizer use; null for <see cref="CoreBudget.Shared"/>.
    /// </param>
    public FrameSummarizer(ClassifierModel model, SummarizerOptions? options = null, MicroBatcher? batcher = null, IFeaturizer? featurizer = null,
        CoreBudget? cores = null)
    {
        _model = model;
        _cores = cores;
        _clusters = new ClusterAnalysis(cores: cores);
        if (featurizer is not null && featurizer.Spec.Width != model.Network.InputCount)
            throw new ArgumentException($"the featurizer gives {featurizer.Spec.Width} features, the model takes {model.Network.InputCount}");
        _options = options ?? new SummarizerOptions();
        // A run's own atom roles (a standard dump of a molecular model's molecule) change the features' input, not the model.
        var features = _options.AtomRoles is { } roles ? model.File.Features.WithAtomRoles(roles) : model.Features;
        _featurizer = featurizer ?? (ReferenceEquals(features, model.Features) ? model.Featurizer : features.CreateFeaturizer(cores));
        _options.Validate(model.Classes);
        if (batcher is not null && (batcher.InputWidth != model.Network.InputCount || batcher.OutputWidth != model.Network.OutputCount))
            throw new ArgumentException($"the batcher takes {batcher.InputWidth} → {batcher.OutputWidth} values, the model {model.Network.InputCount} → {model.Network.OutputCount}");
        _batcher = batcher;
        var crystalline = _options.CrystallineClasses ?? model.File.CrystalClasses;
        _crystalline = model.Classes.Select(crystalline.Contains).ToArray();
        CrystallineClasses = model.Classes.Where(crystalline.Contains).ToArray();
        double neighborCutoff = model.File.Features is AtomicFeatureSpec atomic ? atomic.Cutoff : _options.MolecularClusterCutoff;
        Structure = new StructureCapture(model.File.Name, model.Classes, CrystallineClasses, neighborCutoff);
        var names = model.File.Features.Names;
        _q6Column = names.ToList().IndexOf("q6") is var plain and >= 0 ? plain : names.ToList().IndexOf("avg_q6");

        if (_options.SurfaceCore) (_surface, _molecules) = SurfaceFor(features, _options, cores);
        var solid = _options.InterfaceClasses ?? crystalline;
        _interfaceSolid = model.Classes.Select(solid.Contains).ToArray();
        if (_options.InterfaceAxis is { } axis)
        {
            _profile = new SolidFractionProfile(SolidFractionProfile.AxisIndex(axis), _options.InterfaceBins);
            _fit = new InterfaceFit(_options.InterfaceGeometry);
        }
    }

    /// <summary>The classes this summarizer counts as crystalline: the run's choice, else the model's crystal classes.</summary>
    public IReadOnlyList<string> CrystallineClasses { get; }

    /// <summary>The latest frame's largest cluster and its surroundings, kept as each frame is summarised, for a 3D view.</summary>
    public StructureCapture Structure { get; }

    /// <summary>The summary of <paramref name="frame"/>, computed on the calling thread (and the batcher's).</summary>
    public ValueTask<FrameSummary> SummarizeAsync(string runId, Frame frame, CancellationToken cancellationToken = default) =>
        SummarizeAsync(runId, frame, null, cancellationToken);

    /// <summary>
    /// The summary of <paramref name="frame"/>; with <paramref name="slots"/>, its features and its census each in a
    /// slot and the wait for the shared network in neither (see the remarks).
    /// </summary>
    public async ValueTask<FrameSummary> SummarizeAsync(string runId, Frame frame, ComputeSlots? slots, CancellationToken cancellationToken = default)
    {
        long start = Stopwatch.GetTimestamp();
        if (_batcher is null)
        {
            // Nothing to wait for: the network runs in line (an ILGPU model, or a model of its own).
            return await Compute(slots, () => Census(runId, frame, Classified(_featurizer.Compute(frame)), start), false, cancellationToken)
                .ConfigureAwait(false);
        }
        var rows = await Compute(slots, () => _featurizer.Compute(frame), false, cancellationToken).ConfigureAwait(false);
        var outputs = await _batcher.EvaluateAsync(rows.Values, cancellationToken).ConfigureAwait(false);
        var predictions = _model.Decide(outputs, rows.Defined);
        return await Compute(slots, () => Census(runId, frame, (rows, predictions), start), true, cancellationToken).ConfigureAwait(false);
    }

    private (FeatureRows Rows, ClassPredictions Predictions) Classified(FeatureRows rows) => (rows, _model.Predict(rows));

    private static ValueTask<T> Compute<T>(ComputeSlots? slots, Func<T> work, bool resuming, CancellationToken cancellationToken) =>
        slots is null ? ValueTask.FromResult(work()) : slots.ComputeAsync(work, resuming, cancellationToken);

    /// <summary>Everything after the classification: census, clusters, surface/core, interface.</summary>
    private FrameSummary Census(string runId, Frame frame, (FeatureRows Rows, ClassPredictions Predictions) classified, long start)
    {
        try
        {
            return Tally(runId, frame, classified, start);
        }
        finally
        {
            // Nothing reads the frame's neighbour list past its summary: its rented rows go back for the next frame.
            classified.Rows.Neighbors?.Dispose();
        }
    }

    private FrameSummary Tally(string runId, Frame frame, (FeatureRows Rows, ClassPredictions Predictions) classified, long start)
    {
        var (rows, predictions) = classified;
        var counts = predictions.Counts();
        var member = new bool[rows.Count];
        int crystalline = 0;
        for (int r = 0; r < rows.Count; r++)
            if (predictions.Labels[r] >= 0 && _crystalline[predictions.Labels[r]])
            {
                member[r] = true;
                crystalline++;
            }
        var anchors = RowPositions.Of(frame, rows);
        var clusters = Clusters(frame, rows, anchors, member);
        var largest = clusters?.Largest;
        Structure.Capture(runId, frame, anchors.X, anchors.Y, anchors.Z, rows.Atoms, predictions.Labels, clusters);
        var (surface, core) = SurfaceAndCore(frame, rows, clusters);
        var (position, velocity) = Interface(frame, anchors, predictions.Labels);
        int dominant = -1;
        for (int c = 0; c < _crystalline.Length; c++)
            if (_crystalline[c] && counts[c] > 0 && (dominant < 0 || counts[c] > counts[dominant])) dominant = c;

        return new FrameSummary
        {
            RunId = runId,
            Frame = frame.Index,
            Step = frame.Step,
            Time = frame.Time,
            Model = _model.File.Name,
            Count = rows.Count,
            ClassCounts = ClassCounts(counts),
            Undefined = counts[^1],
            Crystalline = crystalline,
            CrystallineClasses = CrystallineClasses,
            DominantCrystal = dominant >= 0 ? _model.Classes[dominant] : null,
            NMax = largest?.Size ?? 0,
            LargestCenter = largest is { } l ? [l.CenterOfMass.X, l.CenterOfMass.Y, l.CenterOfMass.Z] : null,
            LargestRg = largest?.RadiusOfGyration,
            MeanQ6 = MeanOfColumn(rows, _q6Column),
            Surface = surface,
            Core = core,
            InterfacePosition = position,
            InterfaceVelocity = velocity,
            LatencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds,
        };
    }

    /// <summary>The census by class name, in the model's order; <paramref name="counts"/> ends with the undefined rows.</summary>
    private Dictionary<string, int> ClassCounts(int[] counts)
    {
        var byName = new Dictionary<string, int>(_model.Classes.Count, StringComparer.Ordinal);
        for (int c = 0; c < _model.Classes.Count; c++) byName.Add(_model.Classes[c], counts[c]);
        return byName;
    }

    /// <summary>
    /// The surface classifier for a model's rows: molecular centres with the paper's radius and threshold, or atoms with
    /// the atomic analogue (<see cref="SummarizerOptions.AtomicSurfaceRadiusFactor"/>), each overridable.
    /// </summary>
    private static (SurfaceClassifier?, MolecularSymmetryFunctionParameters?) SurfaceFor(FeatureSpec features, SummarizerOptions options,
        CoreBudget? cores) => (features, MoleculesOf(features)) switch
    {
        (_, { } molecules) => (
            new SurfaceClassifier(options.SurfaceRadius, options.SurfaceMinNeighbors ?? SurfaceClassifier.DefaultMinNeighbors, cores),
            molecules),
        (AtomicFeatureSpec atomic, _) => (
            new SurfaceClassifier(options.SurfaceRadius ?? SummarizerOptions.AtomicSurfaceRadiusFactor * atomic.Cutoff,
                options.SurfaceMinNeighbors ?? SummarizerOptions.AtomicSurfaceMinNeighbors, cores),
            null),
        _ => (null, null),
    };

    /// <summary>What the molecules of a per-molecule model are (atom roles, bonds); null when its rows are atoms.</summary>
    private static MolecularSymmetryFunctionParameters? MoleculesOf(FeatureSpec features) => features switch
    {
        MolecularFeatureSpec molecular => molecular.Parameters,
        MolecularGraphFeatureSpec graph => graph.Parameters,
        _ => null,
    };

    private ClusterResult? Clusters(Frame frame, FeatureRows rows, RowPositions anchors, bool[] member)
    {
        if (!frame.Box.HasCell || rows.Count == 0) return null;
        if (rows.Neighbors is { } links) return _clusters.Compute(frame, links, member);
        double cutoff = _options.MolecularClusterCutoff;
        NeighborList centres;
        using (var query = new NeighborQuery(frame.Box, anchors.X, anchors.Y, anchors.Z, cutoff, _cores)) centres = query.WithinCutoff(cutoff);
        return _clusters.Compute(centres, member, frame.Box, anchors.X, anchors.Y, anchors.Z);
    }

    /// <summary>Rows of the largest cluster at a surface and in the core; nulls when not computed (see the remarks).</summary>
    private (int? Surface, int? Core) SurfaceAndCore(Frame frame, FeatureRows rows, ClusterResult? clusters)
    {
        if (_surface is null || clusters?.Largest is not { } largest) return (null, null);
        var cluster = clusters.ClusterIds;
        var among = new bool[cluster.Length];
        for (int r = 0; r < among.Length; r++) among[r] = cluster[r] == largest.Id;
        int surface;
        if (_molecules is { } p)
        {
            var molecules = OrientedMolecules.FromFrame(frame, p.Roles, p.Bonds, _cores);
            CheckRows(frame, molecules.Ids, rows);
            surface = _surface.CountSurface(molecules, among);
        }
        else
        {
            CheckRows(frame, frame.Ids, rows);
            surface = _surface.CountSurface(frame, among);
        }
        if (surface < FreeSurfaceShare * rows.Count) return (null, null);
        return (surface, largest.Size - surface);
    }

    private static void CheckRows(Frame frame, ReadOnlySpan<int> ids, FeatureRows rows)
    {
        if (!ids.SequenceEqual(rows.Ids))
            throw new InvalidOperationException($"frame {frame.Index}: the surface/core rows ({ids.Length}) are not the classified rows ({rows.Count})");
    }

    /// <summary>
    /// The interface the summary follows — the upper face of a periodic slab (where the solid ends going up the axis), or
    /// the single interface — and its velocity along the axis from the previous fitted frame; nulls when the axis is off,
    /// the profile has no interface, or (velocity) there is no previous frame since the run or its restart began.
    /// </summary>
    private (double? Position, double? Velocity) Interface(Frame frame, RowPositions anchors, int[] labels)
    {
        if (_profile is null || _fit is null) return (null, null);
        if (_lastFrame is { } last && frame.Index <= last) _tracker.Reset();
        _lastFrame = frame.Index;
        if (!frame.Box.HasCell || labels.Length == 0) return (null, null);
        var solid = new bool[labels.Length];
        for (int r = 0; r < labels.Length; r++) solid[r] = labels[r] >= 0 && _interfaceSolid[labels[r]];
        var fit = _fit.Fit(_profile.Compute(frame.Box, anchors.X, anchors.Y, anchors.Z, solid));
        var motion = _tracker.Add(Time(frame), fit);
        if (!fit.Found) return (null, null);
        bool slab = fit.Geometry == InterfaceGeometry.PeriodicSlab;
        double velocity = slab ? motion.Velocity2 : motion.Velocity1;
        return (slab ? fit.Position2 : fit.Position1, double.IsNaN(velocity) ? null : velocity);
    }

    private double Time(Frame frame) => frame.Time ?? frame.Step * (_options.TimePerStep ?? 1.0);

    /// <summary>
    /// The mean of one feature over the defined rows: fixed stretches of rows summed apart on the idle cores (a column
    /// of a million-row frame is a strided pass over all its rows), then added up in order, so the mean does not depend
    /// on the cores lent.
    /// </summary>
    private double? MeanOfColumn(FeatureRows rows, int column)
    {
        if (column < 0) return null;
        var stretches = (_cores ?? CoreBudget.Shared).InStretches(rows.Count, MeanStretch, (from, to) =>
        {
            double sum = 0;
            int n = 0;
            for (int r = from; r < to; r++)
                if (rows.Defined[r])
                {
                    sum += rows.Values[r * rows.Width + column];
                    n++;
                }
            return (Sum: sum, Count: n);
        });
        double total = 0;
        int defined = 0;
        foreach (var (sum, n) in stretches) (total, defined) = (total + sum, defined + n);
        return defined == 0 ? null : total / defined;
    }

    private const int MeanStretch = 65536;
}
