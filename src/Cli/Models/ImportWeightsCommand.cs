using System.CommandLine;
using StreamMonitor.Classification.Models;

namespace StreamMonitor.Cli.Models;

/// <summary>
/// <c>streammonitor import-weights WEIGHTS --features molsf:urea --classes ... --out MODEL</c>: turns a weight file of
/// the reference symmetry-function classifier (MolStrucClassifier nn.cpp layout) into a model file, naming the
/// classes the weight file leaves unnamed. models/make-presets.sh makes the shipped urea-2024 and nicotinamide-2024
/// models this way.
/// </summary>
internal static class ImportWeightsCommand
{
    public static Command Create()
    {
        var weights = new Argument<string>("WEIGHTS") { Description = "Reference weight file (weight_*.txt)." };
        var features = FeatureOptions.Kind();
        var classes = new Option<string>("--classes") { Description = "Class names in output order, comma-separated.", Required = true };
        var name = new Option<string>("--name") { Description = "Model name.", Required = true };
        var description = new Option<string?>("--description") { Description = "What the model classifies." };
        var source = new Option<string?>("--source") { Description = "Where the weights come from." };
        var license = new Option<string?>("--license") { Description = "License of the weights." };
        var roles = RoleOptions.Roles();
        var output = new Option<string>("--out") { Description = "Model file to write.", Required = true };
        var command = new Command("import-weights", "Convert a reference (MolStrucClassifier) weight file into a model file.")
        {
            weights, features, classes, roles, name, description, source, license, output,
        };
        command.SetAction((result, ct) => CliErrors.RunAsync(() =>
        {
            var path = result.GetValue(weights)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such weight file");
            var network = ReferenceWeightFile.Load(path).ToParameters();
            var spec = FeatureOptions.Parse(result.GetValue(features)!, null, null);
            var names = result.GetValue(classes)!.Split(',');
            var model = new ModelFile(result.GetValue(name)!, names, spec, network)
            {
                Roles = RoleOptions.Parse(result.GetValue(roles), names) ?? ClassRoles.FromNames(names),
                Description = result.GetValue(description),
                Training = new TrainingRecord { Source = result.GetValue(source) ?? Path.GetFileName(path), License = result.GetValue(license) },
            };
            model.Save(result.GetValue(output)!);
            Console.WriteLine($"{result.GetValue(output)}: {string.Join(" → ", network.LayerSizes)}, classes {string.Join(", ", model.Classes)}, " +
                              $"crystalline {string.Join(", ", model.CrystalClasses)}");
            return Task.FromResult(0);
        }));
        return command;
    }
}
