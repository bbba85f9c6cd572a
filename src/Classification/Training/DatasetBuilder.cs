using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Oracles;
using StreamMonitor.Core;
using StreamMonitor.Ingest;

namespace StreamMonitor.Classification.Training;

/// <summary>
/// Builds a <see cref="Dataset"/> from labelled trajectories: each frame of each source is featurised with the spec
/// and its rows (restricted to the source's atom types, if any) get the source's label. Rows the featuriser cannot
/// define (an atom without neighbours) are left out. Classes are ordered by first appearance unless given. A source
/// labelled by an oracle gives rows only for the atoms the oracle calls fcc, hcp or bcc unambiguously, with that label;
/// <paramref name="oracles"/> finds the oracle by name.
/// </summary>
public sealed class DatasetBuilder(FeatureSpec features, IReadOnlyList<string>? classes = null, Func<string, IStructureOracle>? oracles = null)
{
    /// <summary>Called after each frame with (source index, frame index, rows so far).</summary>
    public Action<int, long, int>? Progress { get; init; }

    public Dataset Build(IReadOnlyList<DatasetSource> sources, CancellationToken cancellationToken = default)
    {
        var classList = classes?.ToList() ?? [];
        foreach (var source in sources)
            foreach (var label in source.Oracle is null ? [source.Label] : OracleStructures.Crystals.Select(OracleStructures.Name))
                if (!classList.Contains(label))
                {
                    if (classes is not null) throw new ArgumentException($"{source.Path}: label '{label}' is not one of the classes {string.Join(", ", classes)}");
                    classList.Add(label);
                }
        var featurizer = features.CreateFeaturizer();
        var values = new List<double>();
        var labels = new List<int>();
        var sourceIndex = new List<int>();
        for (int s = 0; s < sources.Count; s++)
        {
            var source = sources[s];
            if (!File.Exists(source.Path)) throw new FileNotFoundException($"{source.Path}: no such trajectory (source '{source}')", source.Path);
            int before = labels.Count;
            void AddRows(Frame frame, Func<int, int> labelOfAtom)
            {
                FeatureRows rows;
                try
                {
                    rows = featurizer.Compute(frame);
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"{source.Path}: frame {frame.Index}: {e.Message}", e);
                }
                var types = frame.Types;
                for (int r = 0; r < rows.Count; r++)
                {
                    if (!rows.Defined[r]) continue;
                    if (source.Types is { } wanted && !wanted.Contains(types[rows.Atoms[r]])) continue;
                    int label = labelOfAtom(rows.Atoms[r]);
                    if (label < 0) continue;
                    foreach (double v in rows.Row(r)) values.Add(v);
                    labels.Add(label);
                    sourceIndex.Add(s);
                }
                Progress?.Invoke(s, frame.Index, labels.Count);
            }
            using var reader = TrajectoryReader.Open(source.Path);
            if (source.Oracle is { } name)
            {
                var oracle = oracles?.Invoke(name) ?? throw new ArgumentException($"source '{source}': no oracle named '{name}' is available");
                var classOf = OracleStructures.Crystals.ToDictionary(c => c, c => classList.IndexOf(OracleStructures.Name(c)));
                foreach (var batch in FrameBatches.Read(reader, source.FirstFrame, source.EndFrame, 1, OracleEvaluation.BatchSize))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var verdicts = oracle.Label(batch, cancellationToken);
                    for (int f = 0; f < batch.Count; f++)
                        AddRows(batch[f], atom => verdicts[f].CrystalOf(atom) is { } crystal ? classOf[crystal] : -1);
                }
            }
            else
            {
                int label = classList.IndexOf(source.Label);
                foreach (var frame in reader.ReadAll())
                {
                    using var owned = frame;
                    cancellationToken.ThrowIfCancellationRequested();
                    if (source.EndFrame is { } end && frame.Index >= end) break;
                    if (!source.Includes(frame.Index)) continue;
                    AddRows(frame, _ => label);
                }
            }
            if (labels.Count == before) throw new ArgumentException($"{source.Path}: source '{source}' gave no rows (check its frame range and atom types)");
        }
        return new Dataset(features, classList, sources.Select(s => s.ToString()).ToArray(), values.ToArray(), labels.ToArray(), sourceIndex.ToArray());
    }
}
