using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Streams;
using StreamMonitor.Contracts.Metrics;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Grains.Streams;
using StreamMonitor.Metrics;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Grains.Metrics;

/// <summary>
/// <see cref="IMetricsExporterGrain"/>: one activation per cluster owns the <see cref="InfluxWriter"/>, so each update is
/// written once, not once per silo. The stream hands it updates in the runs' order; enqueueing never waits for InfluxDB
/// (the writer spills to its folder when InfluxDB is away and replays in order when it is back). What the stream dropped,
/// or what runs recorded while no exporter was active (its silo died), is read from the runs' history
/// (<see cref="AllRunsCatchUp"/>) from the progress last known to be in InfluxDB (<see cref="MetricsExporterState"/>).
/// </summary>
public sealed class MetricsExporterGrain(
    [PersistentState("metrics-exporter", RunGrain.StorageName)] IPersistentState<MetricsExporterState> state,
    IOptions<MetricsExporterOptions> options,
    ILogger<MetricsExporterGrain> logger) : Grain, IMetricsExporterGrain, IRemindable
{
    public const string ResumeReminder = "resume";

    /// <summary>How often the progress known to be in InfluxDB is saved; a successor writes at most this much again.</summary>
    public static readonly TimeSpan SavePeriod = TimeSpan.FromSeconds(5);

    /// <summary>Updates handed to the writer while catching up before waiting for it to take them (the writer's queue is unbounded).</summary>
    private const int CatchUpStride = 10_000;

    /// <summary>The last sequence of each run handed to the writer.</summary>
    private readonly Dictionary<string, long> _progress = [];
    private InfluxWriter? _writer;
    private AllRunsCatchUp _catchUp = null!;
    private IGrainTimer? _catchUpTimer;
    private long _exported;
    /// <summary>Progress handed to the writer since the last save (or a save that had to be skipped).</summary>
    private bool _unsaved;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Influx is not { } influx) return;
        _writer = new InfluxWriter(influx, logger, CampaignLayout.CampaignOf);
        foreach (var (runId, sequence) in state.State.Exported) _progress[runId] = sequence;
        _catchUp = new AllRunsCatchUp(GrainFactory, runId => _progress.GetValueOrDefault(runId));
        var stream = this.GetStreamProvider(RunStreams.Provider).GetStream<RunUpdate>(RunStreams.AllRuns);
        var handles = await stream.GetAllSubscriptionHandles();
        if (handles.Count == 0) await stream.SubscribeAsync(OnUpdateAsync);
        else foreach (var handle in handles) await handle.ResumeAsync(OnUpdateAsync);
        // Catching up runs as a timer's turn, after activation, so that a call waking the exporter does not wait for it;
        // it is tried again each period until it succeeds.
        _catchUpTimer = this.RegisterGrainTimer(CatchUpAsync, new GrainTimerCreationOptions(TimeSpan.Zero, SavePeriod));
        // Saving interleaves: it waits for the writer, which must not hold up the stream.
        this.RegisterGrainTimer(SaveAsync, new GrainTimerCreationOptions(SavePeriod, SavePeriod) { Interleave = true, KeepAlive = true });
        try
        {
            await this.RegisterOrUpdateReminder(ResumeReminder, options.Value.ResumePeriod, options.Value.ResumePeriod);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "metrics: could not register the exporter's resume reminder; if its silo dies, the next run's update resumes it");
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_writer is null) return;
        await _writer.DisposeAsync();
        await SaveIfInInfluxAsync(new Dictionary<string, long>(_progress));
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public Task Start() => Task.CompletedTask;

    public Task<long> Exported() => Task.FromResult(_exported);

    public Task Write(Immutable<byte[]> lines)
    {
        _writer?.Enqueue(lines.Value);
        return Task.CompletedTask;
    }

    private async Task OnUpdateAsync(RunUpdate update, StreamSequenceToken? token)
    {
        if (_writer is null) return;
        await foreach (var next in _catchUp.InOrderAsync(update)) Export(next);
    }

    private void Export(RunUpdate update)
    {
        if (!_writer!.Enqueue(update)) return;
        _progress[update.RunId] = update.Sequence;
        _exported++;
        _unsaved = true;
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            long caughtUp = 0;
            await foreach (var runId in _catchUp.BehindAsync(cancellationToken))
            {
                await foreach (var update in _catchUp.MissingAsync(runId, cancellationToken))
                {
                    Export(update);
                    if (++caughtUp % CatchUpStride == 0) await _writer!.FlushAsync(cancellationToken);
                }
            }
            if (caughtUp > 0) logger.LogInformation("metrics: exported {Count} updates the runs recorded while no exporter followed them", caughtUp);
            _catchUpTimer?.Dispose();
            _catchUpTimer = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "metrics: could not catch up on the runs' updates; trying again in {Period}", SavePeriod);
        }
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        if (!_unsaved) return;
        _unsaved = false;
        var handed = new Dictionary<string, long>(_progress);
        await _writer!.FlushAsync(cancellationToken);
        await SaveIfInInfluxAsync(handed);
    }

    /// <summary>Saves <paramref name="handed"/> (flushed already) unless some of it may be in the spill folder only.</summary>
    private async Task SaveIfInInfluxAsync(Dictionary<string, long> handed)
    {
        if (_writer!.HoldsSpilled)
        {
            _unsaved = true; // tried again once InfluxDB has the spilled batches
            return;
        }
        state.State.Exported = handed;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // Only costs writing some points again after a crash; tried again next period.
            _unsaved = true;
            logger.LogWarning(e, "metrics: could not save the exporter's progress");
        }
    }
}
