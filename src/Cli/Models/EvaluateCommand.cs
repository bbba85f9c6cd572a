using System.CommandLine;
using System.Text.Json;
using StreamMonitor.Classification.Models;
using StreamMonitor.Classification.Oracles;
using StreamMonitor.Classification.Training;
using StreamMonitor.Ingest;

namespace StreamMonitor.Cli.Models;

/// <summary>
/// <c>streammonitor evaluate DATASET --model MODEL [--by-source] [--json]</c>: scores a model on a labelled dataset,
/// with --by-source also per source (manifest line) of the dataset.
/// <c>streammonitor evaluate TRAJECTORY... --model MODEL --oracle cna-quench [--frames a:b] [--every N] [--json]</c>:
/// scores it against an oracle on the atoms the oracle calls fcc, hcp or bcc, so users check a model on their own
/// system (several trajectories add up into one report; --frames and --every apply to each).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var input = new Argument<string[]>("DATASET")
        {
            Description = "Dataset file from 'streammonitor dataset', or with --oracle one or more trajectories (LAMMPS dump, extended XYZ, XTC), scored together.",
            Arity = ArgumentArity.OneOrMore,
        };
        var model = new Option<string>("--model") { Description = $"Model file, or a shipped model ({string.Join(", ", ModelCatalog.Names)}).", DefaultValueFactory = _ => ModelCatalog.DefaultAtomic };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var bySource = new Option<bool>("--by-source") { Description = "On a dataset: also break the predictions down by source (each manifest line of 'streammonitor dataset'), to see which runs the mistakes come from." };
        var oracleName = new Option<string?>("--oracle") { Description = "Score against an oracle on a trajectory instead of a dataset: cna-quench (LAMMPS quench, then adaptive common-neighbour analysis of the quenched atoms; an atom is scored only where the thermal frame's own analysis of its neighbourhood agrees, so quench artefacts such as bcc turned close-packed are left out)." };
        var frames = new Option<string>("--frames") { Description = "With --oracle: frames a:b (0-based, end exclusive) or all.", DefaultValueFactory = _ => "all" };
        var every = new Option<int>("--every") { Description = "With --oracle: every N-th frame of the range.", DefaultValueFactory = _ => 1 };
        var oracle = new OracleOptions();
        var command = new Command("evaluate", "Score a model: on a dataset (micro-F1, per-class precision/recall/F1, confusion) or against an oracle on a trajectory (agreement, confusion).")
        {
            input, model, json, bySource, oracleName, frames, every,
        };
        foreach (var option in oracle.All) command.Options.Add(option);
        command.SetAction((result, ct) => CliErrors.RunAsync(() => Task.FromResult(Dispatch(result, ct))));
        return command;

        int Dispatch(ParseResult result, CancellationToken ct)
        {
            if (result.GetValue(oracleName) is not { } name)
                return Run(SingleDataset(result.GetValue(input)!), result.GetValue(model)!, result.GetValue(bySource), result.GetValue(json));
            if (result.GetValue(bySource))
                throw new ArgumentException("--by-source breaks down a dataset's rows; with --oracle, score each trajectory on its own");
            return RunOracle(result.GetValue(input)!, result.GetValue(model)!, oracle.Factory(result)(name), result.GetValue(frames)!, result.GetValue(every), result.GetValue(json), ct);
        }
    }

    private static string SingleDataset(string[] inputs) =>
        inputs.Length == 1 ? inputs[0] : throw new ArgumentException($"one dataset file, not {inputs.Length} (several inputs are for trajectories with --oracle)");

    private static int Run(string datasetPath, string modelName, bool bySource, bool json)
    {
        if (!File.Exists(datasetPath)) throw new FileNotFoundException($"{datasetPath}: no such dataset file");
        var data = DatasetFile.Load(datasetPath);
        using var model = ClassifierModel.Load(modelName);
        var (report, sources) = ModelEvaluation.EvaluateBySource(model, data);
        if (json)
        {
            var node = report.ToJson();
            if (bySource) node["by_source"] = sources.ToJson();
            Console.WriteLine(node.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        }
        else
        {
            Console.WriteLine($"model {model.File.Name} on {datasetPath}");
            Console.Write(report.ToText());
            if (bySource)
            {
                Console.WriteLine();
                Console.Write(sources.ToText());
            }
        }
        return 0;
    }

    private static int RunOracle(string[] paths, string modelName, IStructureOracle oracle, string frameRange, int every, bool json, CancellationToken ct)
    {
        if (every < 1) throw new ArgumentException($"--every must be at least 1, got {every}");
        long first;
        long? end;
        try
        {
            (first, end) = DatasetSource.ParseFrames(frameRange);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"--frames: {e.Message}", e);
        }
        foreach (var path in paths)
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such trajectory");
        using var model = ClassifierModel.Load(modelName);
        var agreement = new OracleAgreement(model.Classes);
        for (int p = 0; p < paths.Length; p++)
        {
            using var reader = TrajectoryReader.Open(paths[p]);
            var progress = new ConsoleProgress($"{oracle.Name} on {Path.GetFileName(paths[p])} ({p + 1}/{paths.Length})");
            OracleEvaluation.Evaluate(model, oracle, reader, first, end, every, agreement,
                (frame, soFar) => progress.Report($"frame {frame}: {soFar.Frames} frames, agreement {soFar.Agreement:0.000} over {soFar.Scored} atoms",
                    end is { } stop && stop > first ? (double)(frame - first + 1) / (stop - first) : 0), ct);
            progress.Done();
        }
        var report = agreement.ToJson();
        report["oracle"] = oracle.Name;
        report["model"] = model.File.Name;
        if (json) Console.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        else
        {
            Console.WriteLine($"model {model.File.Name} against oracle {oracle.Name} on {string.Join(", ", paths)}");
            Console.Write(agreement.ToText());
        }
        return 0;
    }
}
