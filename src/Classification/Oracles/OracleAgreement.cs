using System.Text.Json.Nodes;
using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Models;

namespace StreamMonitor.Classification.Oracles;

/// <summary>
/// How a model's classes compare with an oracle's on the atoms the oracle labels unambiguously as a crystal (fcc, hcp,
/// bcc): the confusion matrix (rows: oracle structure, columns: model class, then undefined), and the agreement, the
/// fraction of those atoms the model gives the class of the same name, overall and per oracle structure. Also counts
/// every structure the oracle gave, so a report shows how much of the system was scored at all.
/// </summary>
public sealed class OracleAgreement
{
    private readonly long[,] _confusion;
    private readonly long[] _structures = new long[Enum.GetValues<OracleStructure>().Length];
    private readonly int[] _modelClassOf;

    public OracleAgreement(IReadOnlyList<string> modelClasses)
    {
        ModelClasses = modelClasses.ToArray();
        _confusion = new long[Rows.Count, ModelClasses.Count + 1];
        _modelClassOf = Rows.Select(s => ModelClasses.ToList().IndexOf(OracleStructures.Name(s))).ToArray();
    }

    /// <summary>The oracle structures scored, the confusion matrix's rows.</summary>
    public static IReadOnlyList<OracleStructure> Rows => OracleStructures.Crystals;

    public IReadOnlyList<string> ModelClasses { get; }
    public long Frames { get; private set; }
    public long Atoms { get; private set; }
    public long Ambiguous { get; private set; }

    /// <summary>Atoms the oracle called fcc, hcp or bcc unambiguously: the confusion matrix's total.</summary>
    public long Scored { get; private set; }

    public long Agreed { get; private set; }
    public double Agreement => Scored == 0 ? 0 : (double)Agreed / Scored;

    /// <summary>Per oracle structure (rows), per model class then undefined (columns).</summary>
    public long Confusion(int row, int column) => _confusion[row, column];

    public long Support(int row) => Enumerable.Range(0, ModelClasses.Count + 1).Sum(c => _confusion[row, c]);

    public double AgreementOf(int row)
    {
        long support = Support(row);
        return support == 0 || _modelClassOf[row] < 0 ? 0 : (double)_confusion[row, _modelClassOf[row]] / support;
    }

    /// <summary>Adds one frame: the oracle's labels and the model's rows and classes for the same frame.</summary>
    public void Add(OracleLabels labels, FeatureRows rows, ClassPredictions predictions)
    {
        Frames++;
        Atoms += labels.Count;
        for (int a = 0; a < labels.Count; a++)
        {
            if (labels.Unambiguous[a]) _structures[(int)labels.Structures[a]]++;
            else Ambiguous++;
        }
        for (int r = 0; r < rows.Count; r++)
        {
            if (labels.CrystalOf(rows.Atoms[r]) is not { } structure) continue;
            if (labels.Ids[rows.Atoms[r]] != rows.Ids[r])
                throw new ArgumentException($"frame {labels.FrameIndex}: the oracle's atom {rows.Atoms[r]} has id {labels.Ids[rows.Atoms[r]]}, the model's row has id {rows.Ids[r]}");
            int row = Rows.ToList().IndexOf(structure);
            int predicted = predictions.Labels[r];
            int column = predicted == ClassifierModel.Undefined ? ModelClasses.Count : predicted;
            _confusion[row, column]++;
            Scored++;
            if (predicted >= 0 && predicted == _modelClassOf[row]) Agreed++;
        }
    }

    public JsonObject ToJson()
    {
        var perClass = new JsonObject();
        var confusion = new JsonArray();
        for (int s = 0; s < Rows.Count; s++)
        {
            perClass[OracleStructures.Name(Rows[s])] = new JsonObject { ["support"] = Support(s), ["agreement"] = AgreementOf(s) };
            confusion.Add(new JsonArray(Enumerable.Range(0, ModelClasses.Count + 1).Select(c => (JsonNode)_confusion[s, c]).ToArray()));
        }
        var oracleCounts = new JsonObject();
        foreach (var structure in Enum.GetValues<OracleStructure>()) oracleCounts[OracleStructures.Name(structure)] = _structures[(int)structure];
        oracleCounts["ambiguous"] = Ambiguous;
        return new JsonObject
        {
            ["agreement"] = Agreement,
            ["scored"] = Scored,
            ["frames"] = Frames,
            ["atoms"] = Atoms,
            ["oracle_counts"] = oracleCounts,
            ["oracle_classes"] = new JsonArray(Rows.Select(s => (JsonNode)OracleStructures.Name(s)).ToArray()),
            ["model_classes"] = new JsonArray(ModelClasses.Append(ClassifierModel.UndefinedName).Select(c => (JsonNode)c).ToArray()),
            ["per_class"] = perClass,
            ["confusion"] = confusion,
        };
    }

    /// <summary>A plain-text table: agreement per oracle structure, then the confusion matrix.</summary>
    public string ToText()
    {
        var w = new StringWriter();
        w.WriteLine($"agreement {Agreement:0.0000} over {Scored} atoms the oracle calls fcc, hcp or bcc ({Frames} frames, {Atoms} atoms, {Ambiguous} ambiguous)");
        w.WriteLine("oracle structures: " + string.Join(", ", Enum.GetValues<OracleStructure>().Select(s => $"{OracleStructures.Name(s)} {_structures[(int)s]}")));
        w.WriteLine();
        w.WriteLine($"{"oracle",-12}{"agreement",10}{"support",10}");
        for (int s = 0; s < Rows.Count; s++) w.WriteLine($"{OracleStructures.Name(Rows[s]),-12}{AgreementOf(s),10:0.0000}{Support(s),10}");
        w.WriteLine();
        w.WriteLine("confusion (rows: oracle structure, columns: model class)");
        var columns = ModelClasses.Append(ClassifierModel.UndefinedName).ToArray();
        int width = Math.Max(9, columns.Max(c => c.Length) + 2);
        w.Write($"{"",-12}");
        foreach (var c in columns) w.Write(c.PadLeft(width));
        w.WriteLine();
        for (int s = 0; s < Rows.Count; s++)
        {
            w.Write($"{OracleStructures.Name(Rows[s]),-12}");
            for (int c = 0; c < columns.Length; c++) w.Write(_confusion[s, c].ToString().PadLeft(width));
            w.WriteLine();
        }
        return w.ToString();
    }
}
