using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StreamMonitor.Classification.Committor;
using StreamMonitor.Contracts.Campaigns;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Campaigns;
using StreamMonitor.Monitoring.Control;

namespace StreamMonitor.Grains.Campaigns;

/// <summary>
/// A shooting campaign (<see cref="ICampaignGrain"/>). Every <see cref="TickPeriod"/> it looks at each running shot's run
/// and process, concludes the ones that ended, and launches pending shots up to the campaign's <c>concurrent</c>. A shot
/// is registered as a run that stops itself on commitment (its <c>STOP</c> file), so the stop does not wait for this
/// grain; the grain only reads the outcome from the run's commitment event. Each change is written to the grain's state
/// before the next launch, and to the campaign's <c>campaign.json</c>.
/// </summary>
/// <remarks>
/// A shot is marked running, and that written, before its engine is started: a server that dies in between finds a
/// running shot with no process and launches it again as a new attempt in a new folder, rather than starting a second
/// engine on the first one's files.
/// </remarks>
public sealed class CampaignGrain(
    [PersistentState("campaign", RunGrain.StorageName)] IPersistentState<CampaignGrainState> state,
    RunRegistrar registrar,
    RunPolicy policy,
    LaunchCommands launches,
    ILogger<CampaignGrain> logger) : Grain, ICampaignGrain, IRemindable
{
    public static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);

    /// <summary>After a stop, how long a shot's run waits for its file to stop growing before it ends.</summary>
    public static readonly TimeSpan EndAfterStop = TimeSpan.FromSeconds(3);

    public const string ResumeReminder = "resume";

    private static readonly TimeSpan ResumePeriod = TimeSpan.FromMinutes(1);

    private IGrainTimer? _tick;

    /// <summary>The committor network of the last adaptive choice, trained on from its weights at the next (kept in memory only: retrained after a restart).</summary>
    private CommittorModel? _model;

    /// <summary>Why no point could be chosen yet, so the log says it once per reason.</summary>
    private string? _notChosen;

    private CampaignGrainState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    private Actor Self => new($"campaign:{Id}");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Definition is not null && S.Phase == CampaignPhase.Running) await KeepGoingAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public async Task<CampaignStatus> Start(CampaignDefinition definition, Actor by)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Id != Id) throw new ArgumentException($"the definition's id '{definition.Id}' is not the campaign's '{Id}'");
        var resolved = Resolve(definition);
        if (S.Definition is { } existing)
        {
            if (!SameDefinition(existing, resolved))
                throw new RunConflictException($"campaign '{Id}' exists with another definition ({S.Phase.ToString().ToLowerInvariant()}); give the new one another id");
            if (S.Phase == CampaignPhase.Running) await KeepGoingAsync();
            return Status();
        }
        S.Definition = resolved;
        S.Phase = CampaignPhase.Running;
        S.Reason = $"started by {by.Name}";
        S.StartedAt = DateTimeOffset.UtcNow;
        S.StartedBy = by.Name;
        S.Shots = PendingShots(resolved).ToList();
        await SaveAsync();
        logger.LogInformation("campaign {Campaign}: {Shots} shots from {Points} points, {Concurrent} at once", Id, resolved.TotalShots, resolved.Points.Count, resolved.Concurrent);
        await KeepGoingAsync();
        return Status();
    }

    public Task<CampaignStatus?> GetStatus() => Task.FromResult(S.Definition is null ? null : Status());

    public async Task<CampaignStatus> Cancel(Actor by)
    {
        if (S.Definition is null) throw new KeyNotFoundException($"no campaign '{Id}'");
        if (S.Phase != CampaignPhase.Running) return Status();
        S.Phase = CampaignPhase.Cancelled;
        S.Reason = $"cancelled by {by.Name}";
        S.EndedAt = DateTimeOffset.UtcNow;
        for (int i = 0; i < S.Shots.Count; i++)
        {
            var shot = S.Shots[i];
            if (shot.Outcome == ShotOutcome.Running) await StopRunAsync(shot, by);
            if (!shot.IsConcluded) S.Shots[i] = shot with { Outcome = ShotOutcome.Cancelled, Reason = S.Reason, EndedAt = shot.LaunchedAt is null ? null : DateTimeOffset.UtcNow };
        }
        _tick?.Dispose();
        _tick = null;
        await SaveAsync();
        await DropReminderAsync();
        return Status();
    }

    private async Task DropReminderAsync()
    {
        if (await this.GetReminder(ResumeReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>Checks the definition against the server: its folder and configurations under the data roots, its launch command configured.</summary>
    private CampaignDefinition Resolve(CampaignDefinition definition)
    {
        definition.Validate();
        _ = launches.Get(definition.Launch);
        var directory = policy.Roots.Confine(definition.Directory, "directory");
        var points = definition.Points.Select((p, i) =>
        {
            var config = policy.Roots.Confine(p.Config, $"points[{i}] ('{p.Id}') config");
            return File.Exists(config) ? p with { Config = config } : throw new ArgumentException($"points[{i}] ('{p.Id}'): configuration {config} does not exist");
        }).ToArray();
        var adaptive = definition.Adaptive is { } a
            ? a with { Candidates = a.Candidates.Select((p, i) => p with { Config = policy.Roots.Confine(p.Config, $"adaptive.candidates[{i}] ('{p.Id}') config") }).ToArray() }
            : null;
        var folder = definition.BaseDirectory is { } b ? policy.Roots.Confine(b, "the campaign's folder") : null;
        return definition with { Directory = directory, Points = points, Adaptive = adaptive, BaseDirectory = folder };
    }

    private static bool SameDefinition(CampaignDefinition a, CampaignDefinition b) =>
        JsonSerializer.Serialize(a with { Source = null }, ContractJson.Options) == JsonSerializer.Serialize(b with { Source = null }, ContractJson.Options);

    /// <summary>Every shot's first attempt, shot-major (every point's first shot, then every point's second, ...), so early results span all points.</summary>
    private IEnumerable<ShotRecord> PendingShots(CampaignDefinition campaign)
    {
        for (int shot = 0; shot < campaign.ShotsPerPoint; shot++)
            for (int p = 0; p < campaign.Points.Count; p++)
                yield return NewAttempt(campaign, p, campaign.Points[p].Id, shot, 1);
    }

    /// <param name="pointIndex">The point's place among all the campaign's points (its seeds depend on it).</param>
    private static ShotRecord NewAttempt(CampaignDefinition campaign, int pointIndex, string point, int shot, int attempt)
    {
        return new ShotRecord
        {
            PointId = point, Shot = shot, Attempt = attempt,
            RunId = CampaignLayout.RunId(campaign.Id, point, shot, attempt),
            Seed = CampaignLayout.Seed(campaign.Seed, pointIndex, shot, attempt),
            Directory = CampaignLayout.Directory(campaign, point, shot, attempt),
        };
    }

    private async Task KeepGoingAsync()
    {
        _tick ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TimeSpan.Zero, TickPeriod) { KeepAlive = true });
        try
        {
            // A server's starter wakes running campaigns only where it starts; in a cluster the reminder brings the
            // campaign back on a surviving silo.
            await this.RegisterOrUpdateReminder(ResumeReminder, ResumePeriod, ResumePeriod);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "campaign {Campaign}: could not register its resume reminder", Id);
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (S.Phase != CampaignPhase.Running || S.Definition is not { } campaign) return;
        bool changed = false;
        for (int i = 0; i < S.Shots.Count; i++)
        {
            if (!IsActive(S.Shots[i])) continue;
            try
            {
                changed |= await ObserveAsync(campaign, i, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "campaign {Campaign}: could not check shot {Run}", Id, S.Shots[i].RunId);
            }
        }
        if (changed) await SaveAsync();
        if (campaign.Adaptive is { } adaptive && S.AddedPoints.Count < adaptive.Points && !S.Shots.Any(s => s.Outcome == ShotOutcome.Pending)
            && ActiveShots < campaign.Concurrent)
            await ChooseNextPointAsync(campaign, adaptive);
        while (ActiveShots < campaign.Concurrent
               && S.Shots.FindIndex(s => s.Outcome == ShotOutcome.Pending) is var next and >= 0)
        {
            await LaunchAsync(campaign, next, cancellationToken);
            await SaveAsync();
        }
        if (AllConcluded && (campaign.Adaptive is not { } planned || S.AddedPoints.Count >= planned.Points))
            await FinishAsync("every shot concluded");
    }

    /// <summary>Launched and not yet ended (its engine may still be writing, committed or not): it holds one of the campaign's concurrent slots.</summary>
    private static bool IsActive(ShotRecord shot) => shot is { LaunchedAt: not null, EndedAt: null };

    private int ActiveShots => S.Shots.Count(IsActive);

    /// <summary>Every shot has an outcome and no engine is still running.</summary>
    private bool AllConcluded => S.Shots.All(s => s.IsConcluded && !IsActive(s));

    private async Task FinishAsync(string reason)
    {
        S.Phase = CampaignPhase.Finished;
        S.Reason = reason;
        S.EndedAt = DateTimeOffset.UtcNow;
        _tick?.Dispose();
        _tick = null;
        await SaveAsync();
        logger.LogInformation("campaign {Campaign}: finished ({Reason})", Id, reason);
        await DropReminderAsync();
    }

    /// <summary>
    /// Adds the candidate a committor network trained on the outcomes so far puts closest to ½, with its shots. While the
    /// network cannot be trained (too few decided shots, all in one basin) it waits for more; when nothing is left to wait
    /// for, the campaign ends without the remaining points, saying why.
    /// </summary>
    private async Task ChooseNextPointAsync(CampaignDefinition campaign, AdaptiveShooting adaptive)
    {
        var status = Status();
        try
        {
            // Training takes a moment of CPU: off the grain's scheduler, which the runs' reports share.
            var (model, point, selection) = await Task.Run(() => AdaptiveSelection.Choose(status, _model));
            _model = model;
            _notChosen = null;
            S.AddedPoints.Add(point);
            S.Selections.Add(selection);
            int index = campaign.Points.Count + S.AddedPoints.Count - 1;
            for (int shot = 0; shot < adaptive.ShotsPerPoint; shot++) S.Shots.Add(NewAttempt(campaign, index, point.Id, shot, 1));
            logger.LogInformation("campaign {Campaign}: next point {Point} (predicted p_B {PB:0.00}, from {Shots} shots)", Id, point.Id, selection.PredictedPB, selection.TrainedOnShots);
            await SaveAsync();
        }
        catch (ArgumentException e)
        {
            if (_notChosen != e.Message) logger.LogInformation("campaign {Campaign}: no next point yet: {Why}", Id, e.Message);
            _notChosen = e.Message;
            if (AllConcluded)
            {
                await FinishAsync($"every shot concluded; added {S.AddedPoints.Count} of {adaptive.Points} points: {e.Message}");
            }
        }
    }

    /// <summary>Records a running shot's commitment and, once its engine is done with it, its end; true when anything changed.</summary>
    private async Task<bool> ObserveAsync(CampaignDefinition campaign, int index, CancellationToken cancellationToken)
    {
        var shot = S.Shots[index];
        var point = PointOf(campaign, shot);
        var command = launches.Get(campaign.Launch);
        var run = GrainFactory.GetGrain<IRunGrain>(shot.RunId);
        var status = await run.GetStatus();
        var before = shot;
        if (shot.Outcome == ShotOutcome.Running && status.State is not (RunState.Registered or RunState.Following or RunState.Stalled)
            && (await run.GetEvents()).FirstOrDefault(e => e.Kind == RunEventKinds.Commitment) is { } commitment)
        {
            var basin = commitment.Labels.GetValueOrDefault("basin");
            shot = shot with
            {
                Outcome = basin == campaign.BasinNames[1] ? ShotOutcome.B : ShotOutcome.A,
                CommittedAt = DateTimeOffset.UtcNow, CommitFrame = commitment.Frame, CommitStep = commitment.Step, Reason = commitment.Message,
            };
        }
        bool? alive = shot.Pid is null && shot.JobId is null
            ? false // marked running, then the server died before the engine was started or recorded
            : await launches.LauncherFor(command).IsAliveAsync(command, campaign, point, shot, cancellationToken);
        bool ended = status.State.IsEnded() || alive == false && CaughtUp(campaign, shot, status);
        if (!ended)
        {
            // An engine that runs past the campaign's length is told to stop like a committed one.
            if (shot.Outcome == ShotOutcome.Running && status.LastStep >= campaign.MaxSteps && status.State is not (RunState.Stopping or RunState.Stopped))
                await StopRunAsync(shot, Self);
            // One that does not act on its stop file is ended: its CPU is what stopping it was to save.
            if (shot is { IsDecided: true, CommittedAt: { } committed, TerminatedAt: null } && alive == true
                && DateTimeOffset.UtcNow - committed > campaign.StopGrace && await launches.LauncherFor(command).TerminateAsync(shot))
            {
                logger.LogWarning("campaign {Campaign}: shot {Run} was still running {Grace} s after it committed; sent SIGTERM", Id, shot.RunId, campaign.StopGrace.TotalSeconds);
                shot = shot with { TerminatedAt = DateTimeOffset.UtcNow };
            }
            S.Shots[index] = shot;
            return shot != before;
        }
        shot = shot with { EndedAt = DateTimeOffset.UtcNow, StepsRun = status.LastStep ?? 0, FramesRecorded = status.FramesProcessed };
        if (shot.Outcome == ShotOutcome.Running)
        {
            if (shot.StepsRun >= campaign.MaxSteps)
            {
                shot = shot with { Outcome = ShotOutcome.Undecided, Reason = string.Create(CultureInfo.InvariantCulture, $"reached {campaign.MaxSteps} steps inside neither basin") };
            }
            else
            {
                var why = string.Create(CultureInfo.InvariantCulture,
                    $"its engine went away at step {shot.StepsRun} of {campaign.MaxSteps}, inside neither basin ({(status.LastError ?? status.Reason ?? "run " + status.State.Name())}; its output is in {shot.Directory})");
                bool again = shot.Attempt < campaign.MaxAttempts;
                shot = shot with { Outcome = again ? ShotOutcome.Lost : ShotOutcome.Failed, Reason = again ? why : $"{why}; gave up after {shot.Attempt} attempts" };
                if (again)
                {
                    S.Shots.Add(NewAttempt(campaign, IndexOf(campaign, shot.PointId), shot.PointId, shot.Shot, shot.Attempt + 1));
                    logger.LogWarning("campaign {Campaign}: shot {Run} lost ({Why}); launching it again", Id, shot.RunId, why);
                }
            }
        }
        S.Shots[index] = shot;
        return true;
    }

    /// <summary>Whether the run has recorded all of its file that will ever be complete (its engine is gone).</summary>
    private static bool CaughtUp(CampaignDefinition campaign, ShotRecord shot, RunStatus status)
    {
        var file = new FileInfo(Path.Combine(shot.Directory, campaign.Trajectory));
        return !file.Exists || (status.Checkpoint?.ByteOffset ?? 0) >= file.Length;
    }

    private async Task LaunchAsync(CampaignDefinition campaign, int index, CancellationToken cancellationToken)
    {
        var shot = S.Shots[index];
        var point = PointOf(campaign, shot);
        var command = launches.Get(campaign.Launch);
        try
        {
            Directory.CreateDirectory(shot.Directory);
            // Left by a launch the server did not live to record: this attempt starts from nothing.
            File.Delete(Path.Combine(shot.Directory, campaign.Trajectory));
            File.Delete(Path.Combine(shot.Directory, ShotPlaceholders.StopFileName));
            await registrar.RegisterAsync(shot.RunId, new RunConfig
            {
                TrajectoryPath = Path.Combine(shot.Directory, campaign.Trajectory),
                Format = campaign.Format,
                Model = campaign.Model,
                RulesJson = campaign.Rules,
                Stop = StopSpec.ForFile(Path.Combine(shot.Directory, ShotPlaceholders.StopFileName)),
                StopOn = [RunEventKinds.Commitment],
                EndAfterIdle = campaign.EndAfterIdle,
                EndAfterStop = EndAfterStop,
            }, Self);
            S.Shots[index] = shot = shot with { Outcome = ShotOutcome.Running, LaunchedAt = DateTimeOffset.UtcNow };
            await SaveAsync();
            S.Shots[index] = await launches.LauncherFor(command).LaunchAsync(command, campaign, point, shot, cancellationToken);
        }
        catch (Exception e) when (e is ShotLaunchException or IOException or UnauthorizedAccessException || RunRegistrar.IsRefusal(e))
        {
            logger.LogWarning("campaign {Campaign}: shot {Run} could not be launched: {Error}", Id, shot.RunId, e.Message);
            S.Shots[index] = shot with { Outcome = ShotOutcome.Failed, Reason = $"could not be launched: {e.Message}", EndedAt = DateTimeOffset.UtcNow };
            if (shot.LaunchedAt is not null) await StopRunAsync(shot, Self, remove: true);
        }
    }

    private async Task StopRunAsync(ShotRecord shot, Actor by, bool remove = false)
    {
        try
        {
            if (remove) await registrar.RemoveAsync(shot.RunId, by, purge: false);
            else await registrar.StopAsync(shot.RunId, by);
        }
        catch (Exception e) when (RunRegistrar.IsRefusal(e))
        {
            // Already ended: nothing to stop.
        }
    }

    private ShootingPoint PointOf(CampaignDefinition campaign, ShotRecord shot)
    {
        int index = IndexOf(campaign, shot.PointId);
        return index < campaign.Points.Count ? campaign.Points[index] : S.AddedPoints[index - campaign.Points.Count];
    }

    /// <summary>The point's place among the definition's points and then those the campaign added.</summary>
    private int IndexOf(CampaignDefinition campaign, string pointId)
    {
        for (int i = 0; i < campaign.Points.Count; i++)
            if (campaign.Points[i].Id == pointId) return i;
        for (int i = 0; i < S.AddedPoints.Count; i++)
            if (S.AddedPoints[i].Id == pointId) return campaign.Points.Count + i;
        throw new InvalidOperationException($"campaign '{campaign.Id}' has no point '{pointId}'");
    }

    private CampaignStatus Status() => new()
    {
        Id = Id, Phase = S.Phase, Reason = S.Reason, Definition = S.Definition!, Shots = [.. S.Shots],
        AddedPoints = [.. S.AddedPoints], Selections = [.. S.Selections],
        StartedAt = S.StartedAt, EndedAt = S.EndedAt,
    };

    private async Task SaveAsync()
    {
        await state.WriteStateAsync();
        var status = Status();
        try
        {
            CampaignRecordFile.Write(status);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("campaign {Campaign}: could not write {File}: {Error}", Id, CampaignRecordFile.PathIn(status.Definition.Directory), e.Message);
        }
        await GrainFactory.GetGrain<ICampaignRegistryGrain>(ICampaignRegistryGrain.Key).Update(CampaignListing.Of(status));
    }
}
