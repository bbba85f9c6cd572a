using System.CommandLine;
using StreamMonitor.Classification.Models;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Grains.Control;
using StreamMonitor.Grains.Events;
using StreamMonitor.Grains.Pipeline;
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
        var file = new Argument<string>("FILE") { Description = "Trajectory to follow (LAMMPS dump, extended XYZ, XTC); it may not exist yet." };
        var model = new Option<string>("--model") { Description = $"Model file or shipped model ({string.Join(", ", ModelCatalog.Names)}).", DefaultValueFactory = _ => ModelCatalog.DefaultAtomic };
        var rules = new Option<string?>("--rules") { Description = "Event rules (JSON); default rules otherwise." };
        var stopFile = new Option<string?>("--stop-file") { Description = "File to create when a --stop-on event fires (LAMMPS: fix halt with is_file)." };
        var stopOn = new Option<string?>("--stop-on") { Description = $"Event kinds that stop the run, comma-separated ({string.Join(", ", RunEventKinds.Detected)})." };
        var json = new Option<bool>("--json") { Description = "One JSON object per line: {\"type\":\"frame\",...} and {\"type\":\"event\",...}." };
        var idleExit = new Option<double?>("--idle-exit") { Description = "Exit once the file has not grown for this many seconds (default: follow forever)." };
        var format = new Option<string>("--format") { Description = "File format; auto detects it.", DefaultValueFactory = _ => "auto" };
        var runId = new Option<string?>("--run-id") { Description = "Name of the run in events and JSON (default: the file name)." };
        var command = new Command("watch", "Follow a trajectory live: classify each frame, detect events, stop the run on a rule.")
        {
            file, model, rules, stopFile, stopOn, json, idleExit, format, runId,
        };
        command.SetAction((result, ct) => CliErrors.RunAsync(() =>
        {
            var path = result.GetValue(file)!;
            var settings = new WatchSettings(
                path,
                result.GetValue(runId) ?? Path.GetFileName(path),
                result.GetValue(model)!,
                result.GetValue(rules),
                result.GetValue(stopFile),
                ParseKinds(result.GetValue(stopOn)),
                result.GetValue(json),
                result.GetValue(idleExit) is { } s ? s > 0 ? TimeSpan.FromSeconds(s) : throw new ArgumentException($"--idle-exit must be positive, got {s}") : null,
                TrajectoryFormats.ByName(result.GetValue(format)));
            if (settings.StopOn.Count > 0 && settings.StopFile is null) throw new ArgumentException("--stop-on needs --stop-file (the file the run polls)");
            return RunAsync(settings, ct);
        }));
        return command;
    }

    private static IReadOnlyList<string> ParseKinds(string? text)
    {
        if (text is null) return [];
        var kinds = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var k in kinds)
            if (!RunEventKinds.Detected.Contains(k))
                throw new ArgumentException($"--stop-on: unknown event kind '{k}' (known: {string.Join(", ", RunEventKinds.Detected)})");
        return kinds;
    }

    private static async Task<int> RunAsync(WatchSettings settings, CancellationToken ct)
    {
        using var model = ClassifierModel.Load(settings.Model);
        var summarizer = new FrameSummarizer(model);
        var detectors = new EventDetectors(settings.Rules is null ? EventRules.Default : EventRules.Load(settings.Rules), settings.RunId);
        var output = new WatchOutput(Console.Out, settings.Json);
        IStopStrategy? stop = settings.StopFile is { } stopPath ? new StopFileStrategy(stopPath) : null;
        bool stopped = false;
        FrameSummary? latest = null;
        var gate = new SemaphoreSlim(1, 1);

        async Task HandleAsync(IEnumerable<RunEvent> events)
        {
            foreach (var e in events)
            {
                output.Event(e);
                if (stop is null || stopped || !settings.StopOn.Contains(e.Kind)) continue;
                stopped = true;
                var request = new StopRequest { RunId = settings.RunId, Reason = e.Kind, RequestedBy = $"rule:{e.Kind}" };
                var outcome = await stop.StopAsync(request, CancellationToken.None).ConfigureAwait(false);
                // The stop happens now, after the latest frame, which may be a few frames past where the event began.
                output.Event(outcome.ToEvent(request) with { Frame = latest?.Frame, Step = latest?.Step, Time = latest?.Time });
            }
        }

        var tailer = TrajectoryTailer.Start(settings.Path,
            new TailOptions { Format = settings.Format, Follow = true, IdleTimeout = settings.IdleExit }, cancellationToken: ct);
        // Stalls are noticed between frames: a clock checks the detectors every second while the tailer waits.
        using var clock = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var stallWatch = Task.Run(async () =>
        {
            try
            {
                while (await clock.WaitForNextTickAsync(ct).ConfigureAwait(false))
                {
                    await gate.WaitAsync(ct).ConfigureAwait(false);
                    try
                    {
                        await HandleAsync(detectors.Check(DateTimeOffset.UtcNow)).ConfigureAwait(false);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var item in tailer.Items.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    if (item.Event is { } change)
                    {
                        await HandleAsync(detectors.FileChanged(change.Kind.ToString().ToLowerInvariant(), change.Message, DateTimeOffset.UtcNow)).ConfigureAwait(false);
                        continue;
                    }
                    using var frame = item.Frame!;
                    var summary = await summarizer.SummarizeAsync(settings.RunId, frame, ct).ConfigureAwait(false);
                    output.Frame(summary);
                    latest = summary;
                    await HandleAsync(detectors.Observe(summary, DateTimeOffset.UtcNow)).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }
            await tailer.Completion.ConfigureAwait(false);
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
        TimeSpan? IdleExit, TrajectoryFormat? Format);
}
