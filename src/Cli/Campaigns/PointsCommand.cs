using System.CommandLine;
using StreamMonitor.Classification.Models;
using StreamMonitor.Cli.Models;
using StreamMonitor.Cli.Watch;
using StreamMonitor.Ingest;
using StreamMonitor.Monitoring.Campaigns;
using StreamMonitor.Monitoring.Events;
using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Cli.Campaigns;

/// <summary>
/// <c>streammonitor campaign points TRAJ --every N --where EXPR</c>: summarises every Nth frame of a finished trajectory
/// as <c>watch</c> does, and writes each frame that satisfies the filter as a LAMMPS configuration into a folder with the
/// manifest <c>points.json</c> (<see cref="ShootingPointSet"/>) that a shooting campaign starts from.
/// </summary>
internal static class PointsCommand
{
    public static Command Create()
    {
        var trajectory = new Argument<string>("TRAJ") { Description = "Trajectory to take the points from (LAMMPS dump, extended XYZ, XTC; may be gzipped)." };
        var every = new Option<int>("--every") { Description = "Summarise every Nth frame (frames 0, N, 2N, ...).", DefaultValueFactory = _ => 1 };
        var where = new Option<string?>("--where") { Description = $"Keep the frames satisfying this, e.g. 'n_max in [20,200] and mean_q6 < 0.4' (quantities: {SummaryQuantities.Known}); default: all." };
        var output = new Option<string>("--out") { Description = $"Folder for the configurations and {ShootingPointSet.FileName}.", DefaultValueFactory = _ => "points" };
        var format = new Option<string>("--format") { Description = "Configuration files: data (LAMMPS read_data) or dump (one-frame dump for read_dump).", DefaultValueFactory = _ => LammpsConfigurationWriter.Data };
        format.AcceptOnlyFromAmong([.. LammpsConfigurationWriter.Formats]);
        var max = new Option<int?>("--max") { Description = "Stop after this many points." };
        var json = new Option<bool>("--json") { Description = $"Print the manifest ({ShootingPointSet.FileName}) instead of a line per point." };
        var force = new Option<bool>("--force") { Description = $"Replace an existing {ShootingPointSet.FileName} in the folder." };
        var trajectoryFormat = new Option<string>("--trajectory-format") { Description = "Format of TRAJ; auto detects it.", DefaultValueFactory = _ => "auto" };
        var summary = new SummaryOptions();
        var command = new Command("points", "Shooting points: write the frames of a trajectory that satisfy a filter as LAMMPS configurations, with a manifest.")
        {
            trajectory, every, where, output, format, max, json, force, trajectoryFormat,
        };
        summary.AddTo(command);
        command.SetAction((result, ct) => CliErrors.RunAsync(() =>
        {
            var request = new PointsRequest(
                result.GetValue(trajectory)!,
                AtLeastOne(result.GetValue(every), "--every"),
                result.GetValue(where) is { } text ? Filter(text) : null,
                result.GetValue(output)!,
                result.GetValue(format)!,
                result.GetValue(max) is { } m ? AtLeastOne(m, "--max") : null,
                result.GetValue(json),
                result.GetValue(force),
                TrajectoryFormats.ByName(result.GetValue(trajectoryFormat)),
                result.GetValue(summary.Model)!,
                summary.Settings(result));
            return RunAsync(request, ct);
        }));
        return command;
    }

    private static int AtLeastOne(int value, string option) =>
        value >= 1 ? value : throw new ArgumentException($"{option} must be at least 1, got {value}");

    private static SummaryFilter Filter(string text)
    {
        try
        {
            return SummaryFilter.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--where: {e.Message}", e);
        }
    }

    private static async Task<int> RunAsync(PointsRequest request, CancellationToken ct)
    {
        var manifest = Path.Combine(request.Output, ShootingPointSet.FileName);
        if (File.Exists(manifest) && !request.Force)
            throw new CliException($"{manifest} exists; pass --force to replace it");
        using var model = ClassifierModel.Load(request.Model);
        if (request.Filter is { } filter) CheckClasses(filter, model);
        var summarizer = new FrameSummarizer(model, SummarizerOptions.From(request.Summary));
        var runId = Path.GetFileName(request.Trajectory);

        using var reader = TrajectoryReader.Open(request.Trajectory, request.Format);
        Directory.CreateDirectory(request.Output);
        // A gzipped file's offsets count decompressed bytes, which say nothing of how much of the file is left.
        long? length = IsGzip(request.Trajectory) ? null : new FileInfo(request.Trajectory).Length;
        var progress = new ConsoleProgress($"points from {runId}");
        var points = new List<ShootingPoint>();
        long read = 0, summarised = 0;
        while (points.Count < (request.Max ?? int.MaxValue) && reader.Read() is { } frame)
        {
            using (frame)
            {
                ct.ThrowIfCancellationRequested();
                read++;
                if (frame.Index % request.Every == 0)
                {
                    var frameSummary = await summarizer.SummarizeAsync(runId, frame, ct).ConfigureAwait(false);
                    summarised++;
                    if (request.Filter?.Matches(frameSummary) != false)
                    {
                        var id = ShootingPoint.IdOf(frame.Index);
                        var fileName = id + LammpsConfigurationWriter.Extension(request.ConfigFormat);
                        var config = Path.GetFullPath(Path.Combine(request.Output, fileName));
                        try
                        {
                            LammpsConfigurationWriter.Write(frame, config, request.ConfigFormat);
                        }
                        catch (ArgumentException e)
                        {
                            // The frame, not the command line, is what LAMMPS cannot take (no cell, an unrestricted one).
                            throw new CliException($"{request.Trajectory}: {e.Message}", CliErrors.DataError);
                        }
                        points.Add(new ShootingPoint(id, config, request.ConfigFormat, frame.Step, frame.Index, frame.Step, ShootingPoint.ValuesOf(frameSummary)));
                        if (!request.Json)
                            Console.WriteLine($"{id}  frame {frame.Index,6}  step {frame.Step,9}  n_max {frameSummary.NMax,6}  {Path.Combine(request.Output, fileName)}");
                    }
                }
            }
            progress.Report($"{read} frames read, {summarised} summarised, {points.Count} kept",
                length is > 0 ? (double)reader.Position.ByteOffset / length.Value : 0);
        }
        progress.Done();

        if (points.Count == 0)
            throw new CliException(
                $"no frame of {request.Trajectory} matched{(request.Filter is { } f ? $" --where '{f.Text}'" : "")} ({summarised} of {read} frames summarised); nothing written",
                CliErrors.DataError);
        var set = new ShootingPointSet(Path.GetFullPath(request.Trajectory), model.File.Name, points);
        set.Save(manifest);
        if (request.Json) Console.Write(set.ToJson(Path.GetFullPath(request.Output)));
        else Console.WriteLine($"{points.Count} points from {summarised} of {read} frames: {manifest}");
        return 0;
    }

    private static bool IsGzip(string path)
    {
        using var file = File.OpenRead(path);
        return file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
    }

    /// <summary>A class the model does not have is refused before any frame is read, not at the first frame.</summary>
    private static void CheckClasses(SummaryFilter filter, ClassifierModel model)
    {
        foreach (var quantity in filter.Quantities)
            foreach (var prefix in new[] { SummaryQuantities.ClassPrefix, SummaryQuantities.FractionPrefix })
                if (quantity.StartsWith(prefix, StringComparison.Ordinal) && !model.Classes.Contains(quantity[prefix.Length..]))
                    throw new ArgumentException(
                        $"--where: class '{quantity[prefix.Length..]}' of {quantity} is not one of model {model.File.Name}'s classes ({string.Join(", ", model.Classes)})");
    }

    private sealed record PointsRequest(
        string Trajectory, int Every, SummaryFilter? Filter, string Output, string ConfigFormat, int? Max, bool Json, bool Force,
        TrajectoryFormat? Format, string Model, SummarySettings Summary);
}
