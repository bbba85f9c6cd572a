using StreamMonitor.Analysis.Molecules;
using System.CommandLine;
using StreamMonitor.Classification.Models;
using StreamMonitor.Cli.Descriptors;
using StreamMonitor.Ingest;

namespace StreamMonitor.Cli.Models;

/// <summary>
/// <c>streammonitor classify FILE --model MODEL [--out -]</c>: the class of every atom or molecule of every frame as
/// CSV <c>frame,mol|id,class,p_&lt;class&gt;...</c> (<c>mol</c> for molecular models, <c>id</c> for atomic ones),
/// with a per-frame count summary on stderr.
/// </summary>
internal static class ClassifyCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Trajectory (LAMMPS dump, extended XYZ, XTC)." };
        var model = new Option<string>("--model") { Description = $"Model file, or a shipped model ({string.Join(", ", ModelCatalog.Names)}).", DefaultValueFactory = _ => ModelCatalog.DefaultAtomic };
        var output = new Option<string>("--out") { Description = "Output CSV file, or - for stdout.", DefaultValueFactory = _ => "-" };
        var format = new Option<string>("--format") { Description = "File format; auto detects it.", DefaultValueFactory = _ => "auto" };
        var precision = new Option<string>("--precision") { Description = "single (fast) or double (bit-faithful to published networks).", DefaultValueFactory = _ => "single" };
        var engine = new Option<string>("--engine")
        {
            Description = "torch (the fused CPU kernel; TorchSharp on a GPU when built for CUDA, and for graph networks) or ilgpu (ILGPU kernels: a CUDA GPU, else ILGPU's CPU accelerator).",
            DefaultValueFactory = _ => "torch",
        };
        var atomRoles = new AtomRoleOptions();
        var command = new Command("classify", "Classify every atom or molecule of every frame with a model.") { file, model, output, format, precision, engine };
        atomRoles.AddTo(command);
        command.SetAction((result, ct) => CliErrors.RunAsync(() => Task.FromResult(Run(
            result.GetValue(file)!, result.GetValue(model)!, result.GetValue(output)!, result.GetValue(format)!, result.GetValue(precision)!,
            result.GetValue(engine)!, atomRoles.Read(result), ct))));
        return command;
    }

    private static int Run(string path, string modelName, string output, string formatName, string precisionName, string engineName,
        AtomRoleMapping? atomRoles, CancellationToken ct)
    {
        var engine = engineName switch
        {
            "torch" => ClassifierEngine.Torch,
            "ilgpu" => ClassifierEngine.Ilgpu,
            _ => throw new ArgumentException($"--engine must be torch or ilgpu, got '{engineName}'"),
        };
        var precision = precisionName switch
        {
            "single" => MlpPrecision.Single,
            "double" => MlpPrecision.Double,
            _ => throw new ArgumentException($"--precision must be single or double, got '{precisionName}'"),
        };
        var format = TrajectoryFormats.ByName(formatName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file");
        using var model = ClassifierModel.Load(modelName, precision, engine, atomRoles);
        Console.Error.WriteLine($"model {model.File.Name} on {model.EngineDescription}");
        using var reader = TrajectoryReader.Open(path, format);
        using var stream = output == "-" ? Console.OpenStandardOutput() : File.Create(output);
        using var csv = new CsvWriter(stream);
        csv.Line($"frame,{(model.File.Features.PerMolecule ? "mol" : "id")},class,{string.Join(",", model.Classes.Select(c => "p_" + c))}");
        foreach (var frame in reader.ReadAll())
        {
            using var owned = frame;
            ct.ThrowIfCancellationRequested();
            FeaturesAndClasses(model, path, frame, csv);
        }
        return 0;
    }

    private static void FeaturesAndClasses(ClassifierModel model, string path, Core.Frame frame, CsvWriter csv)
    {
        Classification.Features.FeatureRows rows;
        ClassPredictions predictions;
        try
        {
            (rows, predictions) = model.Classify(frame);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{path}: frame {frame.Index}: {e.Message} (model {model.File.Name})", e);
        }
        for (int r = 0; r < rows.Count; r++)
        {
            csv.Field(frame.Index);
            csv.Field(rows.Ids[r]);
            csv.Field(predictions.LabelName(r));
            foreach (double p in predictions.Row(r)) csv.Field(p);
            csv.EndRow();
        }
        var counts = predictions.Counts();
        Console.Error.WriteLine($"frame {frame.Index} step {frame.Step}: " + string.Join(" ",
            model.Classes.Select((c, i) => $"{c} {counts[i]}").Append($"{ClassifierModel.UndefinedName} {counts[^1]}")));
    }
}
