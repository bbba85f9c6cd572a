using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Core;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Storage;
using StreamMonitor.Grains.Streams;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.Monitoring.Events;
using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Grains.Runs;

/// <summary>
/// One run: its configuration, state, checkpoint and recent history, persisted in <see cref="StorageName"/>. While the
/// run is live and the grain active it owns a <see cref="RunPipeline"/> that reports frames back through
/// <see cref="IRunReports"/>, so every state change happens on the grain scheduler. State is written every
/// <see cref="RunConfig.CheckpointEvery"/> frames (and at every status change) with the checkpoint after the last
/// recorded frame, and the pipeline resumes from that checkpoint, so a frame is recorded at most once and none is
/// skipped. Every summary, event and status change is numbered (<see cref="RunUpdate.Sequence"/>), kept (the latest
/// <see cref="RunGrainOptions.KeptUpdates"/>) and published on the run's stream and the all-runs stream; the registry
/// hears of every status change and, every few seconds, of progress. What is persisted is then appended, off the frame
/// path, to the run's full history (<see cref="IRunHistoryGrain"/>). Only the updates the history does not hold yet are
/// persisted with the run's state; a new activation reads the rest of what it keeps back from the history.
/// </summary>
/// <remarks>
/// A live run holds a reminder, which outlives the silo: if the silo dies, the reminder re-activates the grain on
/// another silo, where it resumes from the checkpoint. A run ends when its file has not grown for its
/// <see cref="RunConfig.EndAfterIdle"/> (finished), when after a stop its file has not grown for its
/// <see cref="RunConfig.EndAfterStop"/> (stopped), when its pipeline fails, or when it is removed; it then lets go of its
/// pipeline (tailer and file watch), timer and reminder, and its activation, so ended runs cost nothing.
/// </remarks>
[CollectionAgeLimit(Minutes = 2)] // an ended run woken to answer a query need not stay
// A live run keeps a core busy for as long as it lasts. The load-based placements (resource-optimised, the default, and
// activation-count) go by statistics the silos publish every few seconds: a burst of registrations, or runs registered
// soon after a silo joined, all landed on one silo while the others sat idle. Random placement spreads them evenly
// from the first call, whatever the statistics say.
[RandomPlacement]
public sealed class RunGrain(
    [PersistentState(RunGrain.StateName, RunGrain.StorageName)] IPersistentState<RunGrainState> state,
    IOptions<RunGrainOptions> options,
    SharedModels models,
    ComputeSlots slots,
    RunPolicy policy,
    ActivePipelines active,
    IHostApplicationLifetime lifetime,
    ILogger<RunGrain> logger) : Grain, IRunGrain, IRunReports, IRemindable
{
    /// <summary>The grain storage provider run grains use.</summary>
    public const string StorageName = "runs";

    /// <summary>The state's name in storage; "-v2" since runs have a lifecycle (earlier state is not read).</summary>
    public const string StateName = "run-v2";

    /// <summary>Events a run keeps (the oldest are dropped).</summary>
    public const int MaxEvents = 200;

    /// <summary>How often a live run checks for a stall and for an idle file; the same timer keeps the grain active.</summary>
    public static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How often, at most, a run tells the registry of its progress between status changes.</summary>
    public static readonly TimeSpan ProgressPeriod = TimeSpan.FromSeconds(2);

    public const string ResumeReminder = "resume";

    /// <summary>
    /// Updates kept for a history that cannot be appended to (its storage down), beyond which the oldest are dropped:
    /// room for the largest checkpoint interval twice over.
    /// </summary>
    public const int MaxHistoryBacklog = 2 * RunPolicy.MaxCheckpointEvery;

    private RunPipeline? _pipeline;
    private RunPipeline? _latestPipeline; // the current one, or the last one, whose last frame a viewer may still see
    private IGrainTimer? _watch;
    private RunSupervisor? _supervisor;
    private RunUpdateSequence? _sequence;
    private RunUpdatePublisher? _publisher;
    private int _unsaved;
    private bool _dirty;
    private long? _stoppingSince;
    private long? _pipelineEndedAt;
    private bool _registryStale = true;
    private DateTimeOffset _lastProgress;
    private long _reportedFrames = -1;
    private long _persistedThrough;
    private Task? _historyAppend;
    private List<RunUpdate> _kept = [];
    private List<RunUpdate> _events = [];
    private bool _keptComplete;

    private string RunId => this.GetPrimaryKeyString();

    private RunGrainState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _persistedThrough = S.LastSequence;
        // What storage holds of the kept updates and events; the rest is read back from the history when it is asked for.
        _kept = [.. S.Updates];
        _events = [.. S.Updates.Where(u => u.Event is not null)];
        S.Events.Clear(); // (written by earlier versions; the history holds them)
        AppendHistory(batched: false); // what an earlier activation persisted but did not append
        if (S.Config is not { } config) return;
        if (S.State.IsLive()) await StartPipelineAsync(config);
        else await TellRegistryAsync(); // heals an entry a crash left behind (listed live, or not at all)
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Being activated was the point: OnActivateAsync has resumed the pipeline. A run that ended drops its reminder.
        return S.State.IsLive() ? Task.CompletedTask : DropReminderAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await StopPipelineAsync();
        if (_dirty)
        {
            try
            {
                await SaveAsync();
            }
            catch (Exception e)
            {
                // The next activation resumes from the last persisted state and records the rest again, under the same
                // numbers: what was not persisted is not published either.
                logger.LogWarning(e, "run {RunId}: could not persist state on deactivation", RunId);
                return;
            }
        }
        if (_publisher is { Pending: > 0 }) await _publisher.FlushAsync(cancellationToken);
        await HistorySettledAsync();
        // One more try, unless this silo is going (whatever the reason the grain is deactivated for: the cluster may be
        // stopping as a whole): the history's own activation may be gone with it and no silo left to place it on. What is
        // persisted and not appended is the next activation's to append.
        bool stopping = reason.ReasonCode == DeactivationReasonCode.ShuttingDown || lifetime.ApplicationStopping.IsCancellationRequested;
        if (S.HistoryAppended < _persistedThrough && !stopping) await AppendHistoryAsync();
    }

    public async Task<RunStatus> Register(RunConfig config, Actor by)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(by);
        RunIds.Validate(RunId);
        var resolved = policy.Resolve(config);
        // Loading a model can take seconds (TorchSharp, a GPU): not on the grain scheduler. It is cached for the silo.
        var model = await Task.Run(() => models.Get(resolved.Model));
        var options = resolved.ToSummarizerOptions();
        options.Validate(model.Model.Classes);
        model.Model.File.Features.WithAtomRoles(options.AtomRoles); // a mapping the model's molecule cannot take is refused now, not at the first frame

        if (S.Config is { } existing && S.State is not RunState.Removed)
        {
            var differences = ConfigDifferences.Between(existing, resolved);
            if (differences.Count > 0)
                throw new RunConflictException($"run '{RunId}' is already registered with another configuration ({string.Join("; ", differences)}); remove it first or use another id");
            if (S.State.IsLive())
            {
                await StartPipelineAsync(existing); // (it already runs, unless an earlier registration failed half-way)
                return Status();
            }
            // Follow it again, from its checkpoint, e.g. after the cause of a failure was fixed.
            (S.LastError, S.EndedAt) = (null, null);
            ChangeState(S.FramesProcessed > 0 ? RunState.Following : RunState.Registered, $"registered again by {by}", by);
        }
        else
        {
            if (S.Config is not null) await ClearHistoryAsync(); // the removed run's history is not the new one's
            long sequence = S.LastSequence; // a removed run's id is free, but its numbers go on: consumers may remember them
            state.State = new RunGrainState { Config = resolved, LastSequence = sequence, HistoryAppended = sequence, RegisteredAt = DateTimeOffset.UtcNow };
            StartAfresh();
            ChangeState(RunState.Registered, $"registered by {by}: {resolved.TrajectoryPath}", by);
        }
        await SaveOrReloadAsync();
        await PublishAsync();
        await TellRegistryAsync();
        await StartPipelineAsync(S.Config!);
        return Status();
    }

    public Task<RunStatus> GetStatus() => Task.FromResult(Status());

    public async Task<RunUpdatePage> GetUpdates(long after, int limit)
    {
        if (limit < 1) throw new ArgumentOutOfRangeException(nameof(limit), limit, "must be at least 1");
        await ReadKeptBackAsync();
        long first = _kept.Count > 0 ? _kept[0].Sequence : 0;
        int start = SortedLists.FirstAfter(_kept, u => u.Sequence <= after);
        var page = _kept.GetRange(start, Math.Min(limit, _kept.Count - start)).ToArray();
        return new RunUpdatePage
        {
            Updates = page,
            FirstKept = first,
            LastSequence = Sequence().Last,
            Missed = first > after + 1 ? first - after - 1 : 0,
        };
    }

    public async Task<IReadOnlyList<FrameSummary>> GetRecentSummaries()
    {
        await ReadKeptBackAsync();
        return RecentSummaries().ToArray();
    }

    public async Task<IReadOnlyList<RunEvent>> GetEvents()
    {
        await ReadKeptBackAsync();
        return _events.Select(u => u.Event!).ToArray();
    }

    public Task<RunStructure?> GetStructure(int maxAtoms)
    {
        RunStructure.CheckCap(maxAtoms);
        return Task.FromResult(_latestPipeline?.Structure(maxAtoms));
    }

    public async Task<RunEvent> Stop(Actor by)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (S.Config is null) throw new InvalidOperationException($"run '{RunId}' is not registered");
        if (!S.State.IsLive())
            throw new RunConflictException($"run '{RunId}' has ended ({S.State.Name()}: {S.Reason}); there is nothing to stop");
        var stop = await Supervisor().StopAsync(by);
        Record([stop]);
        await SaveOrReloadAsync();
        await PublishAsync();
        await TellRegistryAsync();
        return stop;
    }

    public async Task<RunStatus> Remove(Actor by, bool purge)
    {
        ArgumentNullException.ThrowIfNull(by);
        var registry = GrainFactory.GetGrain<IRunRegistryGrain>(IRunRegistryGrain.Key);
        if (S.Config is null)
        {
            await registry.Forget(RunId); // an entry whose run was purged, left behind by a crash
            throw new KeyNotFoundException($"no run '{RunId}'");
        }
        await StopPipelineAsync();
        _latestPipeline = null; // a removed run has nothing to show
        await DropReminderAsync();
        if (S.State is not RunState.Removed)
        {
            S.EndedAt = DateTimeOffset.UtcNow;
            ChangeState(RunState.Removed, $"removed by {by}", by);
        }
        var status = Status();
        if (purge)
        {
            // The history goes, the numbering stays: a consumer that remembers the run's sequence numbers must see a
            // new run under the same id go on from them, not start again below its cursor.
            await ClearHistoryAsync();
            state.State = new RunGrainState { LastSequence = S.LastSequence, HistoryAppended = S.LastSequence };
            StartAfresh();
            await SaveOrReloadAsync();
            await registry.Forget(RunId);
        }
        else
        {
            await SaveOrReloadAsync();
            await TellRegistryAsync();
        }
        await PublishAsync();
        DeactivateOnIdle();
        return status;
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
        bool changed = S.State switch
        {
            RunState.Registered => ChangeState(RunState.Following, $"frame {summary.Frame} arrived", Actor.Server),
            RunState.Stalled => ChangeState(RunState.Following, $"frames arrive again (frame {summary.Frame})", Actor.Server),
            _ => false,
        };
        S.FramesProcessed++;
        S.LastFrame = summary.Frame;
        S.LastStep = summary.Step;
        SetCheckpoint(after);
        Keep(Sequence().Of(StorableRecords.Of(summary)));

        changed |= Record(await supervisor.ObserveAsync(summary, DateTimeOffset.UtcNow));
        if (changed) _unsaved = config.CheckpointEvery; // a status change is always persisted with the frame that caused it
        if (++_unsaved >= config.CheckpointEvery) await SaveAsync();
        await PublishAsync();
        if (changed) await TellRegistryAsync();
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
        if (error is null) await EndAsync(S.State is RunState.Stopping ? RunState.Stopped : RunState.Finished, "the trajectory ended");
        else
        {
            S.LastError = error;
            await EndAsync(RunState.Failed, error);
        }
    }

    private RunStatus Status() => new()
    {
        RunId = RunId,
        State = S.State,
        Reason = S.Reason,
        FramesProcessed = S.FramesProcessed,
        LastFrame = S.LastFrame,
        LastStep = S.LastStep,
        Checkpoint = CurrentCheckpoint(),
        LastError = S.LastError,
        Config = S.Config,
        Silo = RuntimeIdentity,
        LastSequence = Sequence().Last,
        RegisteredAt = S.RegisteredAt,
        EndedAt = S.EndedAt,
    };

    private bool IsCurrent(Guid pipeline)
    {
        if (_pipeline?.Id == pipeline) return true;
        logger.LogDebug("run {RunId}: ignoring a report of pipeline {Pipeline}, which is not the current one", RunId, pipeline);
        // A late report of a pipeline that was let go woke an ended run: it has nothing to do here.
        if (!S.State.IsLive()) DeactivateOnIdle();
        return false;
    }

    private async Task StartPipelineAsync(RunConfig config)
    {
        if (_pipeline is not null) return;
        await ReadKeptBackAsync(); // the detectors replay the kept summaries before the first frame
        _pipeline = RunPipeline.Start(RunId, config, CurrentCheckpoint(), this.AsReference<IRunReports>(), models, slots, logger);
        _latestPipeline = _pipeline;
        active.Track(RunId, _pipeline);
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
        // its pipeline) alive, and is where a stall or an idle file shows, since no frame arrives to notice it.
        _watch ??= this.RegisterGrainTimer(WatchAsync, new GrainTimerCreationOptions(WatchPeriod, WatchPeriod) { KeepAlive = true });
        if (_registryStale) await TellRegistryAsync(); // a re-activated run heals a registry entry a crash left behind
    }

    private async Task StopPipelineAsync()
    {
        _watch?.Dispose();
        _watch = null;
        if (_pipeline is { } pipeline)
        {
            _pipeline = null;
            await pipeline.DisposeAsync();
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        if (S.Config is not { } config || !S.State.IsLive()) return;
        if (Record(await Supervisor().CheckAsync(DateTimeOffset.UtcNow, cancellationToken)))
        {
            await SaveAsync();
            await TellRegistryAsync();
        }
        if (_pipeline is { } pipeline)
        {
            if (pipeline.Completion.IsCompleted)
            {
                // Its end is normally reported; one that never arrives (a lost call) must not leave the run live forever.
                _pipelineEndedAt ??= Stopwatch.GetTimestamp();
                if (Stopwatch.GetElapsedTime(_pipelineEndedAt.Value) > LostReportGrace)
                {
                    S.LastError = "the run's pipeline ended without reporting why; register the run again to follow it from its checkpoint";
                    await EndAsync(RunState.Failed, S.LastError);
                    return;
                }
            }
            bool stopping = S.State is RunState.Stopping;
            var limit = (stopping ? config.EndAfterStop : config.EndAfterIdle) ?? (stopping ? policy.EndAfterStop : policy.EndAfterIdle);
            // After a stop, the quiet counts from the stop, not from the last frame before it.
            var idle = stopping && _stoppingSince is { } since ? Min(pipeline.IdleFor, Stopwatch.GetElapsedTime(since)) : pipeline.IdleFor;
            if (idle >= limit)
            {
                var reason = stopping ? $"the file has not grown for {Describe(limit)} since the stop"
                    : S.FramesProcessed == 0 ? $"no frame came within {Describe(limit)} of the registration (a job that may queue longer needs a longer end_after_idle)"
                    : $"the file has not grown for {Describe(limit)}";
                await EndAsync(stopping ? RunState.Stopped : RunState.Finished, reason);
                return;
            }
        }
        await PublishAsync();
        if (_registryStale || (_lastProgress + ProgressPeriod <= DateTimeOffset.UtcNow && _reportedFrames != S.FramesProcessed)) await TellRegistryAsync();
    }

    /// <summary>Ends the run: lets go of its pipeline, timer, reminder and activation, and says so on the streams and to the registry.</summary>
    private async Task EndAsync(RunState end, string reason)
    {
        await StopPipelineAsync();
        S.EndedAt = DateTimeOffset.UtcNow;
        ChangeState(end, reason, Actor.Server);
        await SaveOrReloadAsync();
        await PublishAsync();
        await TellRegistryAsync();
        await DropReminderAsync();
        DeactivateOnIdle();
    }

    private async Task DropReminderAsync()
    {
        try
        {
            if (await this.GetReminder(ResumeReminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception e)
        {
            // A reminder left behind only wakes the ended run once more, which drops it then.
            logger.LogWarning(e, "run {RunId}: could not drop its resume reminder", RunId);
        }
    }

    /// <summary>
    /// Publishes what was recorded since the last call: after it was persisted, or, with a checkpoint every few frames,
    /// after it was recorded (a silo failure may then publish those numbers again, which consumers drop by sequence).
    /// </summary>
    private async Task PublishAsync()
    {
        if (_publisher is null || _publisher.Pending == 0) return;
        await _publisher.FlushAsync();
    }

    private RunUpdatePublisher Publisher() => _publisher ??= new RunUpdatePublisher(RunId, async update =>
    {
        var provider = this.GetStreamProvider(RunStreams.Provider);
        await provider.GetStream<RunUpdate>(RunStreams.OfRun(RunId)).OnNextAsync(update);
        await provider.GetStream<RunUpdate>(RunStreams.AllRuns).OnNextAsync(update);
    }, logger, capacity: options.Value.KeptUpdates);

    /// <summary>Tells the registry where the run stands; a failure is retried at the next tick of the watch timer.</summary>
    private async Task TellRegistryAsync()
    {
        if (S.Config is null) return;
        try
        {
            await GrainFactory.GetGrain<IRunRegistryGrain>(IRunRegistryGrain.Key).Update(Status().ToListing());
            (_registryStale, _lastProgress, _reportedFrames) = (false, DateTimeOffset.UtcNow, S.FramesProcessed);
        }
        catch (Exception e)
        {
            _registryStale = true;
            logger.LogWarning(e, "run {RunId}: could not update the registry; trying again", RunId);
        }
    }

    /// <summary>Keeps the events (detected ones and the stops they caused) and moves the run's state on them; true when the state changed.</summary>
    private bool Record(IReadOnlyList<RunEvent> events)
    {
        bool changed = false;
        foreach (var e in events)
        {
            var update = Sequence().Of(StorableRecords.Of(e));
            Keep(update);
            Append(_events, update, MaxEvents);
            var by = new Actor(e.Labels.GetValueOrDefault("by") ?? $"rule:{e.Kind}", e.Labels.GetValueOrDefault("from"));
            changed |= e.Kind switch
            {
                RunEventKinds.Stop when e.Labels.GetValueOrDefault("outcome") == StopOutcome.SucceededLabel && S.State.IsLive() =>
                    ChangeState(RunState.Stopping, e.Message, by),
                RunEventKinds.Commitment when S.State is RunState.Registered or RunState.Following or RunState.Stalled =>
                    ChangeState(RunState.Committed, e.Message, by),
                RunEventKinds.Stall when S.State is RunState.Following =>
                    ChangeState(RunState.Stalled, e.Message, by),
                _ => false,
            };
        }
        return changed;
    }

    private bool ChangeState(RunState next, string reason, Actor by)
    {
        if (S.State == next) return false;
        var change = new RunStatusChange
        {
            State = next,
            Previous = S.State is RunState.Unregistered ? null : S.State,
            Reason = reason,
            By = by.Name,
            From = by.Address,
            Frame = S.LastFrame,
        };
        (S.State, S.Reason) = (next, reason);
        _stoppingSince = next is RunState.Stopping ? Stopwatch.GetTimestamp() : null;
        Keep(Sequence().Of(change));
        _registryStale = true;
        return true;
    }

    private void Keep(RunUpdate update)
    {
        _dirty = true;
        S.LastSequence = update.Sequence;
        // Storage holds those the history does not hold yet, for the history ...
        S.Updates.Add(update);
        DropAppended();
        int backlog = Math.Max(options.Value.KeptUpdates, MaxHistoryBacklog);
        if (S.Updates.Count > backlog)
        {
            logger.LogError("run {RunId}: its history has not taken updates for long; update {Sequence} is lost to it", RunId, S.Updates[0].Sequence);
            S.Updates.RemoveRange(0, S.Updates.Count - backlog);
        }
        // ... and the activation the latest, for consumers that catch up, and at least those (the latest too).
        _kept.Add(update);
        int keep = Math.Max(options.Value.KeptUpdates, S.Updates.Count);
        if (_kept.Count > keep) _kept.RemoveRange(0, _kept.Count - keep);
        Publisher().Add(update);
    }

    /// <summary>Lets go of the persisted updates the history holds: the next write leaves them out.</summary>
    private void DropAppended() => S.Updates.RemoveRange(0, SortedLists.FirstAfter(S.Updates, u => u.Sequence <= S.HistoryAppended));

    /// <summary>
    /// Completes the kept updates and events, once per activation, with the latest of those storage no longer holds
    /// because the history does. If the history cannot be read, the activation keeps what storage held and tries again at
    /// the next call that needs them.
    /// </summary>
    private async Task ReadKeptBackAsync()
    {
        if (_keptComplete) return;
        try
        {
            await ReadBackAsync(_kept, options.Value.KeptUpdates, type: null);
            await ReadBackAsync(_events, MaxEvents, RunUpdate.EventType);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "run {RunId}: could not read its latest updates back from its history; it has only those it had persisted", RunId);
            return;
        }
        _keptComplete = true;
    }

    /// <summary>
    /// Puts before <paramref name="latest"/> (the latest updates of <paramref name="type"/>, null for all) the history's
    /// latest of that type before its first, up to <paramref name="count"/> in all: the history holds every one older than
    /// those storage held.
    /// </summary>
    private async Task ReadBackAsync(List<RunUpdate> latest, int count, string? type)
    {
        int missing = count - latest.Count;
        long through = latest.Count > 0 ? latest[0].Sequence - 1 : S.LastSequence;
        if (missing > 0 && through > 0) latest.InsertRange(0, await History().ReadLast(through, missing, type));
    }

    /// <summary>After the state was replaced (a new registration, a purge): nothing of the old run is kept or replayed.</summary>
    private void StartAfresh()
    {
        _kept = [];
        _events = [];
        _keptComplete = true;
        _sequence = null;
        _supervisor = null;
    }

    private IRunHistoryGrain History() => GrainFactory.GetGrain<IRunHistoryGrain>(RunId);

    /// <summary>
    /// Appends what storage holds and the history does not, on the grain scheduler but outside the call that saved, so the
    /// frame path does not wait for it; one append at a time. A live run waits until <see cref="RunGrainOptions.HistoryBatch"/>
    /// updates are waiting (see there) unless <paramref name="batched"/> is false.
    /// </summary>
    private void AppendHistory(bool batched = true)
    {
        long waiting = _persistedThrough - S.HistoryAppended;
        if (waiting <= 0 || _historyAppend is { IsCompleted: false }) return;
        if (batched && S.State.IsLive() && waiting < options.Value.HistoryBatch) return;
        _historyAppend = AppendHistoryAsync();
    }

    /// <summary>Appends until the history holds what is persisted; a failure is logged and tried again at the next save.</summary>
    private async Task AppendHistoryAsync()
    {
        try
        {
            while (S.HistoryAppended < _persistedThrough)
            {
                long after = S.HistoryAppended, through = _persistedThrough;
                var updates = S.Updates.Where(u => u.Sequence > after && u.Sequence <= through).ToArray();
                if (updates.Length > 0) await History().Append(updates.AsImmutable());
                // The state may have been replaced meanwhile (a purge), with a cursor of its own.
                S.HistoryAppended = Math.Max(S.HistoryAppended, through);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "run {RunId}: could not append to its history; trying again at the next checkpoint", RunId);
        }
    }

    /// <summary>Waits for an append under way (which handles its own failures).</summary>
    private Task HistorySettledAsync() => _historyAppend ?? Task.CompletedTask;

    /// <summary>Deletes the history, once no append of the old updates is under way to write them back.</summary>
    private async Task ClearHistoryAsync()
    {
        await HistorySettledAsync();
        await History().Clear();
    }

    private RunUpdateSequence Sequence() => _sequence ??= new RunUpdateSequence(RunId, S.LastSequence);

    private IEnumerable<FrameSummary> RecentSummaries() => _kept.Where(u => u.Summary is not null).Select(u => u.Summary!);

    /// <summary>The run's detectors and stop rules, their memory rebuilt from the recorded summaries on activation.</summary>
    private RunSupervisor Supervisor()
    {
        if (_supervisor is not null) return _supervisor;
        var config = S.Config ?? throw new InvalidOperationException($"run '{RunId}' is not registered");
        var rules = config.RulesJson is null ? EventRules.Default : EventRules.Parse(config.RulesJson, "rules");
        var stopRules = new StopRules(RunId, config.StopOn,
            config.Stop is { } spec ? () => policy.Stops.Create(spec) : null,
            S.StoppedOn,
            config.Stop is { } stop ? StopPolicy.PlaceholdersOf(stop, config.TrajectoryPath) : null);
        _supervisor = new RunSupervisor(new EventDetectors(rules, RunId), stopRules);
        _supervisor.Replay(RecentSummaries());
        return _supervisor;
    }

    private async Task SaveAsync()
    {
        DropAppended();
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            // Another activation of this run wrote since (a duplicate after a partition): this one steps down.
            DeactivateOnIdle();
            throw;
        }
        (_unsaved, _dirty) = (0, false);
        _persistedThrough = S.LastSequence;
        AppendHistory();
    }

    /// <summary>
    /// Persists a change of state; if that fails, the activation goes, so that the next one starts from what storage
    /// holds instead of this one carrying on from state that was never written (a run ended here but live there).
    /// </summary>
    private async Task SaveOrReloadAsync()
    {
        try
        {
            await SaveAsync();
        }
        catch
        {
            _publisher = null; // what was not persisted is not published
            DeactivateOnIdle();
            throw;
        }
    }

    private Checkpoint? CurrentCheckpoint() => S.CheckpointPath is null
        ? null
        : new Checkpoint(S.CheckpointPath, S.CheckpointByteOffset, S.CheckpointFrameIndex, new FileIdentity(S.CheckpointDevice, S.CheckpointInode));

    private void SetCheckpoint(Checkpoint after)
    {
        _dirty = true;
        S.CheckpointPath = after.Path;
        S.CheckpointByteOffset = after.ByteOffset;
        S.CheckpointFrameIndex = after.FrameIndex;
        S.CheckpointDevice = after.Identity.Device;
        S.CheckpointInode = after.Identity.Inode;
    }

    /// <summary>How long a pipeline's end may go unreported before the run counts it as a failure.</summary>
    private static readonly TimeSpan LostReportGrace = TimeSpan.FromSeconds(30);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes:0.##} min" : $"{span.TotalSeconds:0.##} s";

    private static void Append<T>(List<T> list, T item, int max)
    {
        list.Add(item);
        if (list.Count > max) list.RemoveRange(0, list.Count - max);
    }
}
