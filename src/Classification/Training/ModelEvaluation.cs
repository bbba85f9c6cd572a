using StreamMonitor.Classification.Models;

namespace StreamMonitor.Classification.Training;

/// <summary>Scores a model on a labelled dataset, matching the dataset's classes to the model's by name.</summary>
public static class ModelEvaluation
{
    public static ClassificationReport Evaluate(ClassifierModel model, Dataset data) => EvaluateBySource(model, data).Report;

    /// <summary>The report over all rows and the same predictions broken down by the dataset's sources.</summary>
    public static (ClassificationReport Report, SourceBreakdown BySource) EvaluateBySource(ClassifierModel model, Dataset data)
    {
        if (model.File.Features.ToJson().ToJsonString() != data.Features.ToJson().ToJsonString())
            throw new ArgumentException($"the dataset's features ({data.Features.ToJson().ToJsonString()}) are not the model's ({model.File.Features.ToJson().ToJsonString()})");
        var map = data.Classes.Select(c => model.Classes.ToList().IndexOf(c)).ToArray();
        for (int c = 0; c < map.Length; c++)
            if (map[c] < 0) throw new ArgumentException($"the dataset's class '{data.Classes[c]}' is not one of the model's ({string.Join(", ", model.Classes)})");
        var predictions = model.Predict(data.Values);
        var truth = data.Labels.Select(l => map[l]).ToArray();
        return (new ClassificationReport(model.Classes, truth, predictions.Labels),
            new SourceBreakdown(model.Classes, data.Sources, data.SourceIndex, truth, predictions.Labels));
    }
}
