using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Cli.Models;
using System.CommandLine;
using StreamMonitor.Classification.Models;
using StreamMonitor.Cli.Metrics;
using StreamMonitor.Metrics;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.Monitoring.Events;
using StreamMonitor.Monitoring.Pipeline;
using StreamMonitor.Ingest;
using StreamMonitor.Ingest.Tailing;

namespace StreamMonitor.Cli.Watch;

/// <summary>
/// <c>streammonitor watch FILE</c>: follows one trajectory in this process (no server), classifies every frame,
/// prints a line per frame and per event, and with <c>--stop-on KIND --stop-file PATH</c> creates the stop file a
/// LAMMPS input polls (<c>fix halt</c> + <c>is_file</c>) when that event fires.
/// </summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Trajectory to follow (LAMMPS dump, extended XYZ, XTC), or a glob in the file name for a series of files ('dump.*.lammpstrj'); it may not exist yet." };
        var summary = new SummaryOptions();
        var atomRoles = new AtomRoleOptions();
        var rules = new Option<string?>("--rules") { Description = "Event rules (JSON); default rules otherwise." };
        var stopFile = new Option<string?>("--stop-file") { Description = "File to create when a --stop-on event fires (LAMMPS: fix halt with is_file)." };
        var stopOn = new Option<string?>("--stop-on") { Description = $"Event kinds that stop the run, comma-separated ({string.Join(", ", RunEventKinds.Detected)})." };
        var json = new Option<bool>("--json") { Description = "One JSON object per line: {\"type\":\"frame\",...} and {\"type\":\"event\",...}." };
        var idleExit = new Option<double?>("--idle-exit") { Description = "Exit once the file has not grown for this many seconds (default: follow forever)." };
        var format = new Option<string>("--format") { Description = "File format; auto detects it.", DefaultValueFactory = _ => "auto" };
        var runId = new Option<string?>("--run-id") { Description = "Name of the run in events and JSON (default: the file name)." };
        var command = new Command("watch", "Follow a trajectory live: classify each frame, detect events, stop the run on a rule.")
        {
            file, rules, stopFile, stopOn, json, idleExit, format, runId,
        };
        summary.AddTo(command);
        atomRoles.AddTo(command);
        var influx = new InfluxCommandOptions();
        influx.AddTo(command);
        command.SetAction((result, ct) => CliErrors.RunAsync(() =>
        {
            var path = result.GetValue(file)!;
            var id = result.GetValue(runId) ?? Path.GetFileName(path);
            var settings = new WatchSettings(
                path,
                id,
                result.GetValue(summary.Model)!,
                result.GetValue(rules),
                result.GetValue(stopFile),
                ParseKinds(result.GetValue(stopOn)),
                result.GetValue(json),
                result.GetValue(idleExit) is { } s ? s > 0 ? TimeSpan.FromSeconds(s) : throw new ArgumentException($"--idle-exit must be positive, got {s}") : null,
                TrajectoryFormats.ByName(result.GetValue(format)),
                summary.Settings(result),
                atomRoles.Read(result),
                // Spilled points wait for InfluxDB per run, so a later watch of the same run replays them.
                influx.Read(result, Path.Combine(DataFolder.Default, "influx-spill", string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')))));
            if (settings.StopOn.Count > 0 && settings.StopFile is null) throw new ArgumentException("--stop-on needs --stop-file (the file the run polls)");
            return RunAsync(settings, ct);
        }));
        return command;
    }

    private static IReadOnlyList<string> ParseKinds(string? text)
    {
        if (text is null) return [];
        var kinds = SummaryOptions.Names(text)!;
        try
        {
            StopRules.Validate(kinds, hasStrategy: true);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--stop-on: {e.Message}");
        }
        return kinds;
    }

    private static async Task<int> RunAsync(WatchSettings settings, CancellationToken ct)
    {
        using var model = ClassifierModel.Load(settings.Model);
        var summarizer = new FrameSummarizer(model, SummarizerOptions.From(settings.Summary) with { AtomRoles = settings.AtomRoles });
        var detectors = new EventDetectors(settings.Rules is null ? EventRules.Default : EventRules.Load(settings.Rules), settings.RunId);
        var stopRules = new StopRules(settings.RunId, settings.StopOn,
            settings.StopFile is { } stopPath ? () => new StopFileStrategy(stopPath) : null);
        var supervisor = new RunSupervisor(detectors, stopRules);
        var output = new WatchOutput(Console.Out, settings.Json);
        await using var influx = settings.Influx is { } influxOptions ? new InfluxWriter(influxOptions) : null;
        void Emit(RunUpdate update)
        {
            output.Write(update);
            influx?.Enqueue(update);
        }
        // The supervisor takes one caller at a time: frames, file changes and the stall clock.
        var gate = new SemaphoreSlim(1, 1);

        var updates = new RunUpdateSequence(settings.RunId);

        async Task ActAsync(Func<Task<IReadOnlyList<RunEvent>>> act, FrameSummary? frame = null)
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (frame is not null) Emit(updates.Of(frame));
                foreach (var e in await act().ConfigureAwait(false)) Emit(updates.Of(e));
            }
            finally
            {
                gate.Release();
            }
        }

        // Stalls are noticed between frames: a clock checks the detectors every second while the tailer waits.
        using var clock = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var stallWatch = Task.Run(async () =>
        {
            try
            {
                while (await clock.WaitForNextTickAsync(ct).ConfigureAwait(false))
                    await ActAsync(() => supervisor.CheckAsync(DateTimeOffset.UtcNow, CancellationToken.None)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);

        try
        {
            var options = new TailOptions { Format = settings.Format, Follow = true, IdleTimeout = settings.IdleExit };
            await foreach (var item in SummaryFeed.FollowAsync(settings.RunId, summarizer, settings.Path, options, cancellationToken: ct).ConfigureAwait(false))
            {
                if (item.Summary is { } summary)
                    await ActAsync(() => supervisor.ObserveAsync(summary, DateTimeOffset.UtcNow, CancellationToken.None), summary).ConfigureAwait(false);
                else
                    await ActAsync(() => supervisor.FileChangedAsync(item.ChangeKind!, item.ChangeMessage!, DateTimeOffset.UtcNow, CancellationToken.None)).ConfigureAwait(false);
            }
        }
        finally
        {
            clock.Dispose();
            await stallWatch.ConfigureAwait(false);
        }
        return 0;
    }

    private sealed record WatchSettings(
        string Path, string RunId, string Model, string? Rules, string? StopFile, IReadOnlyList<string> StopOn, bool Json,
        TimeSpan? IdleExit, TrajectoryFormat? Format, SummarySettings Summary, AtomRoleMapping? AtomRoles, InfluxOptions? Influx);
}
