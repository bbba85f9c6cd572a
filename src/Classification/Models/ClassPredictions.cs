namespace StreamMonitor.Classification.Models;

/// <summary>
/// A model's verdict on a set of rows: the output of every class (rows × classes, row-major) and the class each row
/// gets, or <see cref="ClassifierModel.Undefined"/> when no output or more than one exceeds the threshold.
/// </summary>
public sealed record ClassPredictions(IReadOnlyList<string> Classes, double[] Probabilities, int[] Labels)
{
    public int Count => Labels.Length;

    public ReadOnlySpan<double> Row(int row) => Probabilities.AsSpan(row * Classes.Count, Classes.Count);

    public string LabelName(int row) => Labels[row] == ClassifierModel.Undefined ? ClassifierModel.UndefinedName : Classes[Labels[row]];

    /// <summary>Rows per class, in class order, then the undefined count last.</summary>
    public int[] Counts()
    {
        var counts = new int[Classes.Count + 1];
        foreach (int label in Labels) counts[label == ClassifierModel.Undefined ? Classes.Count : label]++;
        return counts;
    }
}
