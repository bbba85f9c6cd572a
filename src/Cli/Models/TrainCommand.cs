using System.CommandLine;
using StreamMonitor.Classification.Models;
using StreamMonitor.Classification.Training;

namespace StreamMonitor.Cli.Models;

/// <summary>
/// <c>streammonitor train DATASET --out MODEL [--arch mlp|gnn]</c>: fits a classifier (an MLP on feature rows, or a graph
/// network on <c>graph</c> rows) and writes a model file.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("DATASET") { Description = "Dataset file from 'streammonitor dataset'." };
        var output = new Option<string>("--out") { Description = "Model file to write (*.model.json).", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name (default: the output file's name)." };
        var description = new Option<string?>("--description") { Description = "What the model classifies, stored in the file." };
        var roles = RoleOptions.Roles();
        var arch = new Option<string>("--arch")
        {
            Description = "mlp (dense layers on any feature rows) or gnn (graph network with attention; needs a dataset of graph features).",
            DefaultValueFactory = _ => MlpParameters.ArchName,
        };
        var hidden = new Option<string?>("--hidden")
        {
            Description = "Hidden layer widths, comma-separated (mlp default 25,25; gnn: one width per message-passing layer, default 32,32,32).",
        };
        var rate = new Option<double>("--learning-rate") { Description = "Adam learning rate.", DefaultValueFactory = _ => new TrainingOptions().LearningRate };
        var schedule = new Option<string>("--schedule")
        {
            Description = "Learning rate over the epochs: constant, or cosine (decays to 1/100 of it at --epochs; give --epochs the epochs the run can afford).",
            DefaultValueFactory = _ => "constant",
        };
        var batch = new Option<int>("--batch-size") { Description = "Rows per mini-batch.", DefaultValueFactory = _ => new TrainingOptions().BatchSize };
        var epochs = new Option<int>("--epochs") { Description = "Most epochs.", DefaultValueFactory = _ => new TrainingOptions().MaxEpochs };
        var patience = new Option<int>("--patience") { Description = "Stop after this many epochs without a better validation loss.", DefaultValueFactory = _ => new TrainingOptions().Patience };
        var validation = new Option<double>("--validation") { Description = "Share of each class held out for early stopping.", DefaultValueFactory = _ => new TrainingOptions().ValidationFraction };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, shuffling and initial weights.", DefaultValueFactory = _ => new TrainingOptions().Seed };
        var command = new Command("train", "Train a classifier on a dataset (Adam, early stopping on a validation split).")
        {
            dataset, output, name, description, roles, arch, hidden, rate, schedule, batch, epochs, patience, validation, seed,
        };
        command.SetAction((result, ct) => CliErrors.RunAsync(() =>
        {
            string architecture = result.GetValue(arch)!;
            if (architecture is not (MlpParameters.ArchName or GnnParameters.ArchName))
                throw new ArgumentException($"--arch: unknown '{architecture}' ({MlpParameters.ArchName}, {GnnParameters.ArchName})");
            var options = new TrainingOptions
            {
                Hidden = result.GetValue(hidden) is { } widths
                    ? widths.Split(',').Select(t => int.TryParse(t, out int v) ? v : throw new ArgumentException($"--hidden: '{t}' is not a width")).ToArray()
                    : architecture == GnnParameters.ArchName ? GnnTrainer.DefaultHidden : new TrainingOptions().Hidden,
                LearningRate = result.GetValue(rate),
                Schedule = result.GetValue(schedule) switch
                {
                    "constant" => LearningRateSchedule.Constant,
                    "cosine" => LearningRateSchedule.Cosine,
                    var other => throw new ArgumentException($"--schedule: unknown '{other}' (constant, cosine)"),
                },
                BatchSize = result.GetValue(batch),
                MaxEpochs = result.GetValue(epochs),
                Patience = result.GetValue(patience),
                ValidationFraction = result.GetValue(validation),
                Seed = result.GetValue(seed),
            };
            return Task.FromResult(Run(result.GetValue(dataset)!, result.GetValue(output)!, result.GetValue(name), result.GetValue(description), result.GetValue(roles), architecture, options, ct));
        }));
        return command;
    }

    private static int Run(string datasetPath, string output, string? name, string? description, string? roles, string architecture,
        TrainingOptions options, CancellationToken ct)
    {
        if (!File.Exists(datasetPath)) throw new FileNotFoundException($"{datasetPath}: no such dataset file");
        var data = DatasetFile.Load(datasetPath);
        // Parsed before training, so a typo costs no training run.
        var classRoles = RoleOptions.Parse(roles, data.Classes);
        name ??= Path.GetFileName(output).Replace(ModelFile.Extension, "", StringComparison.Ordinal);
        Console.Error.WriteLine($"training {architecture} on {data.Count} rows × {data.Width} features, classes {string.Join(", ", data.Classes)}");
        var progress = new ConsoleProgress("training");
        void Report(TrainingEpoch epoch) => progress.Report(
            $"epoch {epoch.Epoch} (rate {epoch.LearningRate:G3}): loss {epoch.TrainLoss:0.0000}, validation {epoch.ValidationLoss:0.0000} (accuracy {epoch.ValidationAccuracy:P2}), best epoch {epoch.BestEpoch}",
            (double)epoch.Epoch / epoch.MaxEpochs);
        var model = architecture == GnnParameters.ArchName
            ? new GnnTrainer(options).Train(data, name, Report, ct)
            : new MlpTrainer(options).Train(data, name, Report, ct);
        progress.Done();
        model = model with
        {
            Description = description,
            Roles = classRoles ?? model.Roles,
            Training = model.Training with { Source = Path.GetFileName(datasetPath) },
        };
        model.Save(output);
        var t = model.Training;
        Console.WriteLine($"{output}: {t.Epochs} epochs, best {t.BestEpoch}: validation loss {t.ValidationLoss:0.0000}, accuracy {t.ValidationAccuracy:P2}; " +
                          $"crystalline {string.Join(", ", model.CrystalClasses)}");
        return 0;
    }
}
