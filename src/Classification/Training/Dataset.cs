using StreamMonitor.Classification.Features;

namespace StreamMonitor.Classification.Training;

/// <summary>
/// Labelled feature rows for training and evaluation: row-major features, a class index per row, and the source
/// (manifest line) each row came from, so results can be broken down by source.
/// </summary>
public sealed class Dataset
{
    public Dataset(FeatureSpec features, IReadOnlyList<string> classes, IReadOnlyList<string> sources, double[] values, int[] labels, int[] sourceIndex)
    {
        int width = features.Width;
        if (values.Length != labels.Length * width)
            throw new ArgumentException($"{labels.Length} rows of {width} features need {labels.Length * width} values, got {values.Length}");
        if (sourceIndex.Length != labels.Length) throw new ArgumentException("one source index per row is needed");
        if (labels.Any(l => l < 0 || l >= classes.Count)) throw new ArgumentException($"labels must be class indices 0..{classes.Count - 1}");
        if (sourceIndex.Any(s => s < 0 || s >= sources.Count)) throw new ArgumentException($"source indices must be 0..{sources.Count - 1}");
        Features = features;
        Classes = classes.ToArray();
        Sources = sources.ToArray();
        Values = values;
        Labels = labels;
        SourceIndex = sourceIndex;
    }

    public FeatureSpec Features { get; }
    public IReadOnlyList<string> Classes { get; }
    public IReadOnlyList<string> Sources { get; }
    public double[] Values { get; }
    public int[] Labels { get; }
    public int[] SourceIndex { get; }
    public int Width => Features.Width;
    public int Count => Labels.Length;

    public ReadOnlySpan<double> Row(int row) => Values.AsSpan(row * Width, Width);

    /// <summary>Rows per class, in class order.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes.Count];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>The given rows, in the given order.</summary>
    public Dataset Subset(IReadOnlyList<int> rows)
    {
        var values = new double[rows.Count * Width];
        var labels = new int[rows.Count];
        var sources = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            Row(rows[i]).CopyTo(values.AsSpan(i * Width, Width));
            labels[i] = Labels[rows[i]];
            sources[i] = SourceIndex[rows[i]];
        }
        return new Dataset(Features, Classes, Sources, values, labels, sources);
    }

    /// <summary>
    /// A random split into (train, validation) with about <paramref name="validationFraction"/> of every class in the
    /// validation part, so a rare class is in both.
    /// </summary>
    public (Dataset Train, Dataset Validation) Split(double validationFraction, int seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1)) throw new ArgumentOutOfRangeException(nameof(validationFraction), "must be between 0 and 1");
        var random = new Random(seed);
        var train = new List<int>();
        var validation = new List<int>();
        for (int c = 0; c < Classes.Count; c++)
        {
            var rows = Enumerable.Range(0, Count).Where(r => Labels[r] == c).ToArray();
            random.Shuffle(rows);
            int cut = (int)Math.Round(rows.Length * validationFraction);
            validation.AddRange(rows[..cut]);
            train.AddRange(rows[cut..]);
        }
        return (Subset(train), Subset(validation));
    }
}
