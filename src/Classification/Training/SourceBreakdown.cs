using System.Text.Json.Nodes;
using StreamMonitor.Classification.Models;

namespace StreamMonitor.Classification.Training;

/// <summary>
/// Where a model's mistakes come from: for every source of a dataset (a manifest line: one run, one label, maybe one
/// atom type), its rows, the fraction predicted right, and how many rows went to each class. A class-level confusion
/// matrix shows that form I is called melt; this shows whether the slab, the cluster or the hot crystal does it.
/// </summary>
public sealed class SourceBreakdown
{
    private readonly long[,] _predicted;

    public SourceBreakdown(IReadOnlyList<string> classes, IReadOnlyList<string> sources, ReadOnlySpan<int> sourceIndex, ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        if (sourceIndex.Length != truth.Length || truth.Length != predicted.Length)
            throw new ArgumentException($"{sourceIndex.Length} source indices, {truth.Length} true labels and {predicted.Length} predictions: one of each per row is needed");
        Classes = classes.ToArray();
        Sources = sources.ToArray();
        // The last column counts rows no class claimed.
        _predicted = new long[Sources.Count, Classes.Count + 1];
        Rows = new long[Sources.Count];
        Correct = new long[Sources.Count];
        for (int i = 0; i < truth.Length; i++)
        {
            int s = sourceIndex[i];
            Rows[s]++;
            if (predicted[i] == truth[i]) Correct[s]++;
            _predicted[s, predicted[i] == ClassifierModel.Undefined ? Classes.Count : predicted[i]]++;
        }
    }

    public IReadOnlyList<string> Classes { get; }
    public IReadOnlyList<string> Sources { get; }
    public long[] Rows { get; }
    public long[] Correct { get; }

    public double Accuracy(int source) => Rows[source] == 0 ? 0 : (double)Correct[source] / Rows[source];

    /// <summary>Rows of <paramref name="source"/> predicted as class <paramref name="predictedClass"/>.</summary>
    public long Predicted(int source, int predictedClass) => _predicted[source, predictedClass];

    /// <summary>Rows of <paramref name="source"/> no class claimed.</summary>
    public long Undefined(int source) => _predicted[source, Classes.Count];

    public JsonArray ToJson() => new(Enumerable.Range(0, Sources.Count).Select(s =>
    {
        var predicted = new JsonObject();
        for (int c = 0; c < Classes.Count; c++) predicted[Classes[c]] = Predicted(s, c);
        predicted[ClassifierModel.UndefinedName] = Undefined(s);
        return (JsonNode)new JsonObject
        {
            ["source"] = Sources[s],
            ["rows"] = Rows[s],
            ["accuracy"] = Accuracy(s),
            ["predicted"] = predicted,
        };
    }).ToArray());

    /// <summary>
    /// One line per source, its path shortened by the folder all sources share: rows, accuracy, then the rows predicted
    /// as each class and the undefined ones.
    /// </summary>
    public string ToText()
    {
        var names = ShortNames(Sources);
        int nameWidth = Math.Max(8, names.Max(n => n.Length) + 2);
        int width = Math.Max(9, Classes.Max(c => c.Length) + 2);
        var w = new StringWriter();
        w.WriteLine("by source (rows, accuracy, then rows predicted as each class)");
        w.Write($"{"source".PadRight(nameWidth)}{"rows",8}{"accuracy",10}");
        foreach (var c in Classes) w.Write(c.PadLeft(width));
        w.WriteLine(ClassifierModel.UndefinedName.PadLeft(width + 1));
        for (int s = 0; s < Sources.Count; s++)
        {
            w.Write($"{names[s].PadRight(nameWidth)}{Rows[s],8}{Accuracy(s),10:0.0000}");
            for (int c = 0; c < Classes.Count; c++) w.Write(Predicted(s, c).ToString().PadLeft(width));
            w.WriteLine(Undefined(s).ToString().PadLeft(width + 1));
        }
        return w.ToString();
    }

    /// <summary>Sources of the form <c>label=path[#selection]</c> without the folder every path starts with.</summary>
    public static string[] ShortNames(IReadOnlyList<string> sources)
    {
        static (string Label, string Path) Split(string source) =>
            source.IndexOf('=') is var eq and > 0 ? (source[..(eq + 1)], source[(eq + 1)..]) : ("", source);
        var parts = sources.Select(Split).ToArray();
        if (parts.Length == 0) return [];
        string prefix = parts[0].Path;
        foreach (var (_, path) in parts)
        {
            int n = 0;
            while (n < prefix.Length && n < path.Length && prefix[n] == path[n]) n++;
            prefix = prefix[..n];
        }
        // Cut at a folder boundary, so a shared start of two file names stays.
        int cut = Math.Max(prefix.LastIndexOf('/'), prefix.LastIndexOf('\\')) + 1;
        return parts.Select(p => p.Label + p.Path[cut..]).ToArray();
    }
}
