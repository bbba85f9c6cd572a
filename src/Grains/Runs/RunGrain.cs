using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Core;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.Monitoring.Events;
using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Grains.Runs;

/// <summary>
/// One run: its configuration, checkpoint, recent summaries and events, persisted in <see cref="StorageName"/>. While
/// active and registered it owns a <see cref="RunPipeline"/> that reports frames back through grain calls, so every
/// state change happens on the grain scheduler. State is written every <see cref="RunConfig.CheckpointEvery"/> frames
/// together with the checkpoint after the last recorded frame, and the pipeline resumes from that checkpoint, so a
/// frame is recorded at most once and none is skipped. Every recorded summary and event is then published on the run's
/// stream and the all-runs stream (<see cref="RunStreams"/>). A followed run holds a reminder, which outlives the
/// silo: if the silo dies, the reminder re-activates the grain on another silo, where it resumes from the checkpoint.
/// </summary>
public sealed class RunGrain(
    [PersistentState(RunGrain.StateName, RunGrain.StorageName)] IPersistentState<RunGrainState> state,
    IOptions<RunGrainOptions> options,
    SharedModels models,
    ComputeSlots slots,
    ILogger<RunGrain> logger) : Grain, IRunGrain, IRemindable
{
    /// <summary>The grain storage provider run grains use.</summary>
    public const string StorageName = "runs";

    public const string StateName = "run";

    /// <summary>Summaries and events kept in the state (the oldest are dropped).</summary>
    public const int MaxRecentSummaries = 100;
    public const int MaxEvents = 200;

    /// <summary>How often a followed run checks for a stall; the same timer keeps the grain active.</summary>
    public static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(1);

    public const string ResumeReminder = "resume";

    private RunPipeline? _pipeline;
    private IGrainTimer? _watch;
    private RunSupervisor? _supervisor;
    private int _unsaved;
    private readonly List<RunUpdate> _outbox = [];
    private RunUpdateSequence? _updates;

    private string RunId => this.GetPrimaryKeyString();

    private RunGrainState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Config is { } config && IsFollowed) await StartPipelineAsync(config);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Being activated was the point: OnActivateAsync has resumed the pipeline. A run that ended drops its reminder.
        return IsFollowed ? Task.CompletedTask : DropReminderAsync();
    }

    /// <summary>A stopped run is still followed: the engine writes its last frames after the stop request.</summary>
    private bool IsFollowed => !S.Ended && (S.State is RunState.Registered or RunState.Following or RunState.Stopped);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_pipeline is { } pipeline)
        {
            _pipeline = null;
            await pipeline.DisposeAsync();
        }
        if (_unsaved > 0)
        {
            try
            {
                if (_updates is not null) S.LastSequence = _updates.Last;
                await state.WriteStateAsync(cancellationToken);
                _unsaved = 0;
            }
            catch (Exception e)
            {
                // The next activation resumes from the last persisted checkpoint and redoes the unsaved frames.
                logger.LogWarning(e, "run {RunId}: could not persist state on deactivation", RunId);
            }
        }
    }

    public async Task Register(RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (S.Config is { } existing)
        {
            if (existing.TrajectoryPath != config.TrajectoryPath)
                throw new InvalidOperationException($"run '{RunId}' is already registered on {existing.TrajectoryPath}");
            if (!S.Ended) return;
            // Follow again, with the configuration it was registered with, from its checkpoint.
            S.Ended = false;
            if (S.State is RunState.Failed or RunState.Finished) (S.State, S.LastError) = (RunState.Registered, null);
            await SaveAsync();
            await StartPipelineAsync(existing);
            return;
        }
        // Loading a model can take seconds (TorchSharp, a GPU): not on the grain scheduler. It is cached for the silo.
        await Task.Run(() => models.Get(config.Model));
        Validate(config, models);
        S.Config = config;
        S.State = RunState.Registered;
        await state.WriteStateAsync();
        await StartPipelineAsync(config);
    }

    public Task<RunStatus> GetStatus() => Task.FromResult(new RunStatus
    {
        RunId = RunId,
        State = S.State,
        FramesProcessed = S.FramesProcessed,
        LastFrame = S.LastFrame,
        Checkpoint = CurrentCheckpoint(),
        LastError = S.LastError,
        Config = S.Config,
        Silo = RuntimeIdentity,
    });

    public Task<IReadOnlyList<FrameSummary>> GetRecentSummaries() => Task.FromResult<IReadOnlyList<FrameSummary>>(S.RecentSummaries.ToArray());

    public Task<IReadOnlyList<RunEvent>> GetEvents() => Task.FromResult<IReadOnlyList<RunEvent>>(S.Events.ToArray());

    public async Task<RunEvent> Stop(string requestedBy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        var stop = await Supervisor().StopAsync(requestedBy);
        Record([stop]);
        await SaveAsync();
        await PublishAsync();
        return stop;
    }

    public async Task ReportFrame(Guid pipeline, FrameSummary summary, Checkpoint after)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(after);
        if (S.Config is not { } config || !IsCurrent(pipeline)) return;
        long expected = S.CheckpointPath is null ? 0 : S.CheckpointFrameIndex;
        if (summary.Frame != expected || after.FrameIndex != summary.Frame + 1)
        {
            if (summary.Frame < expected) logger.LogDebug("run {RunId}: frame {Frame} is already recorded", RunId, summary.Frame);
            else logger.LogWarning("run {RunId}: ignoring frame {Frame}: the next to record is {Expected}", RunId, summary.Frame, expected);
            return;
        }

        var supervisor = Supervisor(); // built (and replayed) from the history before this frame joins it
        S.FramesProcessed++;
        S.LastFrame = summary.Frame;
        SetCheckpoint(after);
        if (S.State is RunState.Registered) S.State = RunState.Following;
        var stored = Storable(summary);
        Append(S.RecentSummaries, stored, MaxRecentSummaries);
        _outbox.Add(Updates().Of(stored));

        if (Record(await supervisor.ObserveAsync(summary, DateTimeOffset.UtcNow)))
            _unsaved = config.CheckpointEvery; // a stop is always persisted with the frame that caused it
        if (++_unsaved >= config.CheckpointEvery) await SaveAsync();
        await PublishAsync();
    }

    public async Task ReportFileChange(Guid pipeline, string kind, string message)
    {
        if (S.Config is null || !IsCurrent(pipeline)) return;
        Record(await Supervisor().FileChangedAsync(kind, message, DateTimeOffset.UtcNow));
        if (RestartDetector.StartsOver(kind))
        {
            // Reading starts over at frame 0 of the (new) file.
            S.CheckpointPath = null;
            S.CheckpointByteOffset = 0;
            S.CheckpointFrameIndex = 0;
            S.CheckpointDevice = null;
            S.CheckpointInode = null;
        }
        await SaveAsync();
        await PublishAsync();
    }

    public async Task ReportEnd(Guid pipeline, string? error)
    {
        if (S.Config is null || !IsCurrent(pipeline)) return;
        _pipeline = null;
        _watch?.Dispose();
        _watch = null;
        S.Ended = true;
        if (error is null)
        {
            if (S.State is RunState.Registered or RunState.Following) S.State = RunState.Finished;
        }
        else
        {
            S.State = RunState.Failed;
            S.LastError = error;
        }
        await SaveAsync();
        await DropReminderAsync();
    }

    private bool IsCurrent(Guid pipeline)
    {
        if (_pipeline?.Id == pipeline) return true;
        logger.LogDebug("run {RunId}: ignoring a report of pipeline {Pipeline}, which is not the current one", RunId, pipeline);
        return false;
    }

    private async Task StartPipelineAsync(RunConfig config)
    {
        _pipeline = RunPipeline.Start(RunId, config, CurrentCheckpoint(), this.AsReference<IRunGrain>(), models, slots, logger);
        try
        {
            await this.RegisterOrUpdateReminder(ResumeReminder, options.Value.ResumePeriod, options.Value.ResumePeriod);
        }
        catch (Exception e)
        {
            // The run is followed all the same; without the reminder only a failover waits for the next call to it.
            logger.LogWarning(e, "run {RunId}: could not register its resume reminder", RunId);
        }
        // A followed file may stay quiet for longer than Orleans' idle-collection age: the timer keeps the grain (and so
        // its pipeline) alive, and is where a stall shows, since no frame arrives to notice it.
        _watch ??= this.RegisterGrainTimer(CheckStallAsync, new GrainTimerCreationOptions(WatchPeriod, WatchPeriod) { KeepAlive = true });
    }

    private async Task CheckStallAsync(CancellationToken cancellationToken)
    {
        if (S.Config is null) return;
        var found = await Supervisor().CheckAsync(DateTimeOffset.UtcNow);
        if (found.Count == 0) return;
        Record(found);
        await SaveAsync();
        await PublishAsync();
    }

    private async Task DropReminderAsync()
    {
        if (await this.GetReminder(ResumeReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>
    /// Publishes what was recorded since the last call, after it was persisted (or, with a checkpoint every few frames,
    /// after it was recorded: a silo failure may then publish those frames again, which consumers tell by frame index).
    /// A stream failure is logged and does not hold up the run.
    /// </summary>
    private async Task PublishAsync()
    {
        if (_outbox.Count == 0) return;
        var updates = _outbox.ToArray();
        _outbox.Clear();
        try
        {
            var provider = this.GetStreamProvider(RunStreams.Provider);
            var run = provider.GetStream<RunUpdate>(RunStreams.OfRun(RunId));
            var all = provider.GetStream<RunUpdate>(RunStreams.AllRuns);
            foreach (var update in updates)
            {
                await run.OnNextAsync(update);
                await all.OnNextAsync(update);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "run {RunId}: could not publish {Count} updates", RunId, updates.Length);
        }
    }

    /// <summary>Keeps the events (detected ones and the stops they caused); true when one of them stopped the run.</summary>
    private bool Record(IReadOnlyList<RunEvent> events)
    {
        bool stopped = false;
        foreach (var e in events)
        {
            Keep(e);
            if (e.Kind == RunEventKinds.Stop && e.Labels.GetValueOrDefault("outcome") == StopOutcome.SucceededLabel)
            {
                stopped = true;
                if (S.State is not RunState.Failed) S.State = RunState.Stopped;
            }
        }
        return stopped;
    }

    /// <summary>The run's detectors and stop rules, their memory rebuilt from the recorded summaries on activation.</summary>
    private RunSupervisor Supervisor()
    {
        if (_supervisor is not null) return _supervisor;
        var config = S.Config ?? throw new InvalidOperationException($"run '{RunId}' is not registered");
        var rules = config.RulesJson is null ? EventRules.Default : EventRules.Parse(config.RulesJson, "rules");
        var stopRules = new StopRules(RunId, config.StopOn,
            config.StopStrategy is { } spec ? () => StopStrategySpec.Parse(spec).Create() : null,
            S.StoppedOn,
            new Dictionary<string, string> { ["trajectory"] = config.TrajectoryPath });
        _supervisor = new RunSupervisor(new EventDetectors(rules, RunId), stopRules);
        _supervisor.Replay(S.RecentSummaries);
        return _supervisor;
    }

    private RunUpdateSequence Updates() => _updates ??= new RunUpdateSequence(RunId, S.LastSequence);

    private void Keep(RunEvent e)
    {
        var stored = Storable(e);
        Append(S.Events, stored, MaxEvents);
        _outbox.Add(Updates().Of(stored));
    }

    private async Task SaveAsync()
    {
        if (_updates is not null) S.LastSequence = _updates.Last;
        await state.WriteStateAsync();
        _unsaved = 0;
    }

    private Checkpoint? CurrentCheckpoint() => S.CheckpointPath is null
        ? null
        : new Checkpoint(S.CheckpointPath, S.CheckpointByteOffset, S.CheckpointFrameIndex, new FileIdentity(S.CheckpointDevice, S.CheckpointInode));

    private void SetCheckpoint(Checkpoint after)
    {
        S.CheckpointPath = after.Path;
        S.CheckpointByteOffset = after.ByteOffset;
        S.CheckpointFrameIndex = after.FrameIndex;
        S.CheckpointDevice = after.Identity.Device;
        S.CheckpointInode = after.Identity.Inode;
    }

    /// <summary>
    /// The summary with plain arrays in place of whatever list types it was built with (collection expressions give
    /// compiler-generated types), so a JSON storage serializer that records runtime types can read it back.
    /// </summary>
    private static FrameSummary Storable(FrameSummary s) => s with
    {
        ClassCounts = new Dictionary<string, int>(s.ClassCounts),
        CrystallineClasses = s.CrystallineClasses.ToArray(),
        LargestCenter = s.LargestCenter?.ToArray(),
    };

    private static RunEvent Storable(RunEvent e) => e with
    {
        Values = new Dictionary<string, double>(e.Values),
        Labels = new Dictionary<string, string>(e.Labels),
    };

    private static void Append<T>(List<T> list, T item, int max)
    {
        list.Add(item);
        if (list.Count > max) list.RemoveRange(0, list.Count - max);
    }

    private static void Validate(RunConfig config, SharedModels models)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(config.TrajectoryPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(config.Model);
        if (config.CheckpointEvery < 1)
            throw new ArgumentException($"checkpoint-every must be at least 1 frame, got {config.CheckpointEvery}");
        _ = StreamMonitor.Ingest.TrajectoryFormats.ByName(config.Format);
        if (config.RulesJson is not null) EventRules.Parse(config.RulesJson, "rules").Validate();
        if (config.StopStrategy is not null) StopStrategySpec.Parse(config.StopStrategy);
        StopRules.Validate(config.StopOn, config.StopStrategy is not null);
        // Loads the model into the silo's cache: a missing model or a class it lacks is refused here, not by a failed run.
        SummarizerOptions.From(config.Summary ?? new SummarySettings()).Validate(models.Get(config.Model).Model.Classes);
    }
}
