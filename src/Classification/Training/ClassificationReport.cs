using System.Text.Json.Nodes;
using StreamMonitor.Classification.Models;

namespace StreamMonitor.Classification.Training;

/// <summary>
/// How predictions compare with true labels: the confusion matrix (rows true, columns predicted), rows no class claimed
/// per true class, per-class precision, recall and F1, and micro-averaged F1. An undefined prediction counts as a miss
/// of the true class and as nobody's false positive.
/// </summary>
public sealed class ClassificationReport
{
    public ClassificationReport(IReadOnlyList<string> classes, ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        if (truth.Length != predicted.Length) throw new ArgumentException($"{truth.Length} true labels but {predicted.Length} predictions");
        int k = classes.Count;
        Classes = classes.ToArray();
        Confusion = new long[k, k];
        Undefined = new long[k];
        for (int i = 0; i < truth.Length; i++)
        {
            if (predicted[i] == ClassifierModel.Undefined) Undefined[truth[i]]++;
            else Confusion[truth[i], predicted[i]]++;
        }
        Precision = new double[k];
        Recall = new double[k];
        F1 = new double[k];
        Support = new long[k];
        long tpSum = 0, fpSum = 0, fnSum = 0;
        for (int c = 0; c < k; c++)
        {
            long tp = Confusion[c, c], fp = 0, fn = Undefined[c];
            for (int o = 0; o < k; o++)
            {
                if (o == c) continue;
                fp += Confusion[o, c];
                fn += Confusion[c, o];
            }
            Support[c] = tp + fn;
            Precision[c] = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
            Recall[c] = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
            F1[c] = 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
            tpSum += tp;
            fpSum += fp;
            fnSum += fn;
        }
        MicroF1 = 2 * tpSum + fpSum + fnSum == 0 ? 0 : 2.0 * tpSum / (2 * tpSum + fpSum + fnSum);
        Rows = truth.Length;
    }

    public IReadOnlyList<string> Classes { get; }
    public long[,] Confusion { get; }
    public long[] Undefined { get; }
    public double[] Precision { get; }
    public double[] Recall { get; }
    public double[] F1 { get; }
    public long[] Support { get; }
    public double MicroF1 { get; }
    public long Rows { get; }

    public JsonObject ToJson()
    {
        var perClass = new JsonObject();
        for (int c = 0; c < Classes.Count; c++)
            perClass[Classes[c]] = new JsonObject
            {
                ["precision"] = Precision[c],
                ["recall"] = Recall[c],
                ["f1"] = F1[c],
                ["support"] = Support[c],
                ["undefined"] = Undefined[c],
            };
        var confusion = new JsonArray();
        for (int t = 0; t < Classes.Count; t++)
            confusion.Add(new JsonArray(Enumerable.Range(0, Classes.Count).Select(p => (JsonNode)Confusion[t, p]).ToArray()));
        return new JsonObject
        {
            ["micro_f1"] = MicroF1,
            ["rows"] = Rows,
            ["classes"] = new JsonArray(Classes.Select(c => (JsonNode)c).ToArray()),
            ["per_class"] = perClass,
            ["confusion"] = confusion,
        };
    }

    /// <summary>A plain-text table: per-class scores, then the confusion matrix with an undefined column.</summary>
    public string ToText()
    {
        var w = new StringWriter();
        int width = Math.Max(9, Classes.Max(c => c.Length) + 2);
        w.WriteLine($"micro-F1 {MicroF1:0.0000} over {Rows} rows");
        w.WriteLine();
        w.WriteLine($"{"class",-12}{"precision",10}{"recall",10}{"f1",10}{"support",10}");
        for (int c = 0; c < Classes.Count; c++)
            w.WriteLine($"{Classes[c],-12}{Precision[c],10:0.0000}{Recall[c],10:0.0000}{F1[c],10:0.0000}{Support[c],10}");
        w.WriteLine();
        w.WriteLine("confusion (rows: true class, columns: predicted)");
        w.Write($"{"",-12}");
        foreach (var c in Classes) w.Write(c.PadLeft(width));
        w.WriteLine(ClassifierModel.UndefinedName.PadLeft(width + 1));
        for (int t = 0; t < Classes.Count; t++)
        {
            w.Write($"{Classes[t],-12}");
            for (int p = 0; p < Classes.Count; p++) w.Write(Confusion[t, p].ToString().PadLeft(width));
            w.WriteLine(Undefined[t].ToString().PadLeft(width + 1));
        }
        return w.ToString();
    }
}
