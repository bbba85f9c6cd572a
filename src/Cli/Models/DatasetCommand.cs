using System.CommandLine;
using StreamMonitor.Classification.Training;

namespace StreamMonitor.Cli.Models;

/// <summary>
/// <c>streammonitor dataset</c>: featurises labelled trajectories into a dataset file for <c>train</c> and
/// <c>evaluate</c>. Sources come from a manifest (<c>label path [frames [types]]</c> per line, tab-separated) and/or
/// <c>--add LABEL=PATH[@FIRST:END]</c>; the label <c>oracle:cna-quench</c> takes each atom's label from that oracle.
/// </summary>
internal static class DatasetCommand
{
    public static Command Create()
    {
        var manifest = new Option<string?>("--manifest")
        {
            Description = "Tab-separated lines: label (or oracle:cna-quench), path, frames (all or a:b), types (all or 1,2).",
        };
        var add = new Option<string[]>("--add") { Description = "A source LABEL=PATH or LABEL=PATH@FIRST:END (repeatable).", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--out") { Description = "Dataset file to write.", Required = true };
        var features = FeatureOptions.Kind();
        var cutoff = FeatureOptions.Cutoff();
        var degrees = FeatureOptions.Degrees();
        var neighbors = FeatureOptions.Neighbors();
        var nodes = FeatureOptions.Nodes();
        var classes = new Option<string?>("--classes") { Description = "Class order, comma-separated (default: order of first appearance)." };
        var atomRoles = new AtomRoleOptions();
        var oracle = new OracleOptions();
        var command = new Command("dataset", "Build a labelled feature dataset from trajectories.") { manifest, add, output, features, cutoff, degrees, neighbors, nodes, classes };
        atomRoles.AddTo(command);
        foreach (var option in oracle.All) command.Options.Add(option);
        command.SetAction((result, ct) => CliErrors.RunAsync(() => Task.FromResult(Run(
            result.GetValue(manifest), result.GetValue(add) ?? [], result.GetValue(output)!,
            FeatureOptions.Parse(result.GetValue(features)!, result.GetValue(cutoff), result.GetValue(degrees), result.GetValue(neighbors), result.GetValue(nodes)).WithAtomRoles(atomRoles.Read(result)),
            result.GetValue(classes)?.Split(','), oracle.Factory(result), ct))));
        return command;
    }

    private static int Run(string? manifest, string[] added, string output, Classification.Features.FeatureSpec features, string[]? classes,
        Func<string, Classification.Oracles.IStructureOracle> oracles, CancellationToken ct)
    {
        var sources = new List<DatasetSource>();
        if (manifest is not null)
        {
            if (!File.Exists(manifest)) throw new FileNotFoundException($"--manifest: {manifest}: no such file");
            sources.AddRange(DatasetSource.ReadManifest(manifest));
        }
        foreach (var item in added) sources.Add(ParseAdd(item));
        if (sources.Count == 0) throw new ArgumentException("no sources: give --manifest FILE or --add LABEL=PATH");
        var progress = new ConsoleProgress($"featurising {sources.Count} sources");
        var builder = new DatasetBuilder(features, classes, oracles)
        {
            Progress = (s, frame, rows) => progress.Report($"source {s + 1}/{sources.Count} frame {frame}: {rows} rows", (double)(s + 1) / sources.Count),
        };
        var dataset = builder.Build(sources, ct);
        progress.Done();
        DatasetFile.Save(dataset, output);
        var counts = dataset.ClassCounts();
        var names = dataset.Features.Names;
        // Graph rows have hundreds of columns (six per node); their first node's and the last name say the layout.
        string columns = names.Count <= 24 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(6))}, …, {names[^1]}";
        Console.WriteLine($"{output}: {dataset.Count} rows × {dataset.Width} features ({columns})");
        for (int c = 0; c < counts.Length; c++) Console.WriteLine($"  {dataset.Classes[c],-12} {counts[c],9}");
        return 0;
    }

    private static DatasetSource ParseAdd(string text)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0 || eq == text.Length - 1) throw new ArgumentException($"--add '{text}': expected LABEL=PATH[@FIRST:END]");
        string label = text[..eq], rest = text[(eq + 1)..];
        int at = rest.LastIndexOf('@');
        if (at < 0) return new DatasetSource(label, rest);
        try
        {
            var (first, end) = DatasetSource.ParseFrames(rest[(at + 1)..]);
            return new DatasetSource(label, rest[..at], first, end);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"--add '{text}': {e.Message}", e);
        }
    }
}
