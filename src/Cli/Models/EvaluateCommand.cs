using System.CommandLine;
using System.Text.Json;
using StreamMonitor.Classification.Models;
using StreamMonitor.Classification.Training;

namespace StreamMonitor.Cli.Models;

/// <summary><c>streammonitor evaluate DATASET --model MODEL [--json]</c>: scores a model on a labelled dataset.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("DATASET") { Description = "Dataset file from 'streammonitor dataset'." };
        var model = new Option<string>("--model") { Description = $"Model file, or a shipped model ({string.Join(", ", ModelCatalog.Names)}).", DefaultValueFactory = _ => ModelCatalog.DefaultAtomic };
        var json = new Option<bool>("--json") { Description = "Print {\"micro_f1\", \"per_class\", \"confusion\"} as JSON." };
        var command = new Command("evaluate", "Micro-F1, per-class precision/recall/F1 and the confusion matrix of a model on a dataset.") { dataset, model, json };
        command.SetAction((result, ct) => CliErrors.RunAsync(() => Task.FromResult(Run(result.GetValue(dataset)!, result.GetValue(model)!, result.GetValue(json)))));
        return command;
    }

    private static int Run(string datasetPath, string modelName, bool json)
    {
        if (!File.Exists(datasetPath)) throw new FileNotFoundException($"{datasetPath}: no such dataset file");
        var data = DatasetFile.Load(datasetPath);
        using var model = ClassifierModel.Load(modelName);
        var report = ModelEvaluation.Evaluate(model, data);
        if (json) Console.WriteLine(report.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        else
        {
            Console.WriteLine($"model {model.File.Name} on {datasetPath}");
            Console.Write(report.ToText());
        }
        return 0;
    }
}
