using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using StreamMonitor.Contracts.Alerts;
using StreamMonitor.Contracts.Audit;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Grains.Storage;
using StreamMonitor.Grains.Streams;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Alerts;

namespace StreamMonitor.Grains.Alerts;

/// <summary>
/// The alert engine: one activation in the cluster (key <see cref="IAlertEngineGrain.Key"/>), subscribed to the
/// all-runs stream. Evaluation (<see cref="AlertEvaluator"/>) is a few comparisons per update, so the stream never waits
/// on it; webhooks are posted off the grain's scheduler and report back. State is written in three parts: the rules when
/// edited, the alerts with their raised occurrences and pending deliveries at once for every alert raised, and the
/// per-run progress and delivery log at most once a second. After a restart it reads each run's updates after the
/// persisted progress before following the stream again; the raised occurrences keep that from raising anything twice.
/// </summary>
public sealed class AlertEngineGrain(
    [PersistentState("alert-rules", RunGrain.StorageName)] IPersistentState<AlertRulesState> rules,
    [PersistentState("alerts", RunGrain.StorageName)] IPersistentState<AlertBookState> book,
    [PersistentState("alert-progress", RunGrain.StorageName)] IPersistentState<AlertProgressState> progress,
    IOptions<AlertEngineOptions> options,
    ILogger<AlertEngineGrain> logger) : Grain, IAlertEngineGrain, IAlertDeliveryReports, IRemindable
{
    public static readonly TimeSpan WritePeriod = TimeSpan.FromSeconds(1);

    public const string ResumeReminder = "resume";

    private readonly AlertEngineOptions _options = options.Value;
    /// <summary>The outbox items (<see cref="OutboxItem.Key"/>) with a round under way.</summary>
    private readonly HashSet<string> _delivering = [];
    private readonly CancellationTokenSource _leaving = new();
    private AlertEvaluator _evaluator = null!;
    private AllRunsCatchUp _catchUp = null!;
    private DeferredWrite _progressWrite = null!;
    private WebhookSender? _sender;
    private bool _caughtUp;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _evaluator = new AlertEvaluator(progress.State.Runs, book.State.Memory);
        _evaluator.SetRules(rules.State.Rules.Values);
        _catchUp = new AllRunsCatchUp(GrainFactory, _evaluator.Evaluated);
        _progressWrite = new DeferredWrite(this, () => progress.WriteStateAsync(), WritePeriod);
        var stream = this.GetStreamProvider(RunStreams.Provider).GetStream<RunUpdate>(RunStreams.AllRuns);
        var handles = await stream.GetAllSubscriptionHandles();
        if (handles.Count == 0) await stream.SubscribeAsync(OnUpdateAsync);
        else foreach (var handle in handles) await handle.ResumeAsync(OnUpdateAsync);
        // Catching up runs as a timer's turn, after activation, so that a call waking the engine does not wait for it.
        this.RegisterGrainTimer(CatchUpAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        this.RegisterGrainTimer(CheckAsync, new GrainTimerCreationOptions(_options.CheckPeriod, _options.CheckPeriod) { KeepAlive = true });
        // Each silo's starter wakes the engine only when that silo starts, and the stream only when a run publishes: when
        // the engine's silo dies, silent runs and waiting deliveries would wait for the next run's update (or for ever).
        // A reminder is kept by the cluster (in Redis) and fires on a live silo, which re-activates the engine there.
        try
        {
            await this.RegisterOrUpdateReminder(ResumeReminder, _options.ResumePeriod, _options.ResumePeriod);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "alerts: could not register the engine's resume reminder; if its silo dies, the next run's update resumes it");
        }
    }

    // Being activated was the point: the activation resumed the subscription, catches up and re-drives the outbox.
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Deliveries under way stop; their items stay in the outbox for the next activation.
        await _leaving.CancelAsync();
        _sender?.Dispose();
        await _progressWrite.FlushAsync();
    }

    public Task Start() => Task.CompletedTask;

    public Task<IReadOnlyList<AlertRule>> GetRules() =>
        Task.FromResult<IReadOnlyList<AlertRule>>(rules.State.Rules.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray());

    public async Task<AlertRule> PutRule(AlertRule rule, Actor by)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate(_options.Webhooks.Select(w => w.Name).ToArray());
        bool replaced = rules.State.Rules.ContainsKey(rule.Id);
        rules.State.Rules[rule.Id] = rule;
        await rules.WriteStateAsync();
        _evaluator.SetRules(rules.State.Rules.Values);
        await AuditAsync(by, AuditActions.EditRules, rule.Id, $"{(replaced ? "replaced" : "created")}: {rule.Severity.ToString().ToLowerInvariant()} on runs {rule.Runs} when {rule.When}{(rule.Enabled ? "" : " (disabled)")}");
        return rule;
    }

    public async Task<bool> DeleteRule(string id, Actor by)
    {
        if (!rules.State.Rules.Remove(id)) return false;
        await rules.WriteStateAsync();
        _evaluator.SetRules(rules.State.Rules.Values);
        await AuditAsync(by, AuditActions.EditRules, id, "deleted");
        return true;
    }

    public Task<IReadOnlyList<Alert>> List(AlertState? state, string? runId, string? after, int limit)
    {
        if (limit is < 1 or > IAlertEngineGrain.MaxPage) throw new ArgumentOutOfRangeException(nameof(limit), limit, $"must be 1..{IAlertEngineGrain.MaxPage}");
        var alerts = book.State.Alerts;
        int start = alerts.Count - 1;
        if (after is not null)
        {
            start = alerts.FindLastIndex(a => a.Id == after) - 1;
            if (start < -1) throw new ArgumentException($"after: no alert '{after}' (an alert id from the previous page)");
        }
        var page = new List<Alert>();
        for (int i = start; i >= 0 && page.Count < limit; i--)
            if ((state is null || alerts[i].State == state) && (runId is null || alerts[i].RunId == runId)) page.Add(alerts[i]);
        return Task.FromResult<IReadOnlyList<Alert>>(page);
    }

    public Task<Alert> Acknowledge(string alertId, string? comment, Actor by)
    {
        var alert = Find(alertId);
        if (alert.State == AlertState.Acknowledged)
            throw new InvalidOperationException($"alert '{alertId}' was acknowledged already, by {alert.AcknowledgedBy} at {alert.AcknowledgedAt:u}");
        return ChangeAsync(alert with
        {
            State = AlertState.Acknowledged,
            AcknowledgedBy = by.Name,
            AcknowledgedAt = DateTimeOffset.UtcNow,
            Comment = comment,
        }, by, AuditActions.Acknowledge, comment);
    }

    public Task<Alert> Snooze(string alertId, TimeSpan duration, string? comment, Actor by)
    {
        var alert = Find(alertId);
        if (duration < TimeSpan.FromSeconds(1) || duration > MaxSnooze)
            throw new ArgumentException($"seconds: a snooze lasts 1 s to {MaxSnooze.TotalDays} days, got {duration.TotalSeconds}");
        var now = DateTimeOffset.UtcNow;
        var until = now + duration;
        _evaluator.Snooze(alert.Rule, alert.RunId, until);
        var snoozed = alert with { SnoozedUntil = until, Comment = comment ?? alert.Comment };
        if (alert.State == AlertState.Open) snoozed = snoozed with { State = AlertState.Acknowledged, AcknowledgedBy = by.Name, AcknowledgedAt = now };
        return ChangeAsync(snoozed, by, AuditActions.Snooze, $"rule {alert.Rule} for run {alert.RunId} until {until:u}{(comment is null ? "" : $": {comment}")}");
    }

    /// <summary>The longest snooze.</summary>
    public static readonly TimeSpan MaxSnooze = TimeSpan.FromDays(30);

    public Task<IReadOnlyList<WebhookDelivery>> Deliveries(int limit)
    {
        if (limit is < 1 or > IAlertEngineGrain.MaxPage) throw new ArgumentOutOfRangeException(nameof(limit), limit, $"must be 1..{IAlertEngineGrain.MaxPage}");
        var log = progress.State.Deliveries;
        return Task.FromResult<IReadOnlyList<WebhookDelivery>>(Enumerable.Range(0, Math.Min(limit, log.Count)).Select(i => log[log.Count - 1 - i]).ToArray());
    }

    public async Task ReportDelivery(string key, IReadOnlyList<WebhookDelivery> attempts)
    {
        _delivering.Remove(key);
        var item = book.State.Outbox.Find(i => i.Key == key);
        if (item is null) return;
        var outcome = attempts.Count > 0 ? attempts[^1].Outcome : WebhookDelivery.Retrying;
        var now = DateTimeOffset.UtcNow;
        bool giveUp = outcome != WebhookDelivery.Delivered && now - item.Since > _options.GiveUpAfter;
        if (giveUp)
        {
            if (attempts.Count > 0) attempts = [.. attempts.Take(attempts.Count - 1), attempts[^1] with { Outcome = WebhookDelivery.Failed }];
            logger.LogWarning("alert {AlertId}: gave up posting to webhook {Webhook} after {Attempts} attempts", item.AlertId, item.Webhook, item.Attempts + attempts.Count);
        }
        Log(attempts);
        item.Attempts += attempts.Count;
        item.NextRoundAt = now + _options.RoundDelay;
        if (outcome == WebhookDelivery.Delivered || giveUp)
        {
            book.State.Outbox.Remove(item);
            await book.WriteStateAsync(); // delivered is delivered: a restart must not post it again
        }
        Pump();
    }

    private async Task OnUpdateAsync(RunUpdate update, StreamSequenceToken? token)
    {
        var raised = new List<Alert>();
        bool taken = false;
        // Updates the stream skipped (or that came while the engine was away) are read from the run first, in order.
        await foreach (var next in _catchUp.InOrderAsync(update))
        {
            taken = true;
            raised.AddRange(_evaluator.Evaluate(next));
        }
        if (taken) await RaiseAsync(raised);
    }

    /// <summary>Evaluates what each run recorded after the engine's progress, once after activation.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var runId in _catchUp.BehindAsync(cancellationToken))
            {
                var raised = new List<Alert>();
                await foreach (var update in _catchUp.MissingAsync(runId, cancellationToken)) raised.AddRange(_evaluator.Evaluate(update));
                await RaiseAsync(raised);
            }
            _caughtUp = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Silence is not looked for until this succeeds: a run not caught up only looks silent. Tried again next check.
            logger.LogWarning(e, "alerts: could not catch up on the runs' updates; trying again in {Period}", _options.CheckPeriod);
        }
        Pump(); // deliveries a restart interrupted
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (!_caughtUp)
        {
            await CatchUpAsync(cancellationToken);
            return;
        }
        await RaiseAsync([.. _evaluator.CheckSilence(DateTimeOffset.UtcNow)]);
        Pump();
    }

    private async Task RaiseAsync(List<Alert> raised)
    {
        _progressWrite.Changed();
        if (raised.Count == 0) return;
        var now = DateTimeOffset.UtcNow;
        foreach (var alert in raised)
        {
            book.State.Alerts.Add(alert);
            var rule = rules.State.Rules.GetValueOrDefault(alert.Rule);
            string body = WebhookPayload.Body(alert, _options.PublicUrl);
            foreach (var webhook in rule?.Webhooks ?? [])
                book.State.Outbox.Add(new OutboxItem { AlertId = alert.Id, Webhook = webhook, Body = body, Since = now, NextRoundAt = now });
        }
        if (book.State.Alerts.Count > _options.KeptAlerts) book.State.Alerts.RemoveRange(0, book.State.Alerts.Count - _options.KeptAlerts);
        // Written before anyone hears of them: an alert published but not persisted could be raised again after a crash.
        await book.WriteStateAsync();
        foreach (var alert in raised)
        {
            logger.LogInformation("alert {AlertId} ({Severity}): {Message}", alert.Id, alert.Severity, alert.Message);
            await PublishAsync(alert);
        }
        Pump();
    }

    /// <summary>Starts a round for each outbox item that is due and whose webhook has no round under way.</summary>
    private void Pump()
    {
        var now = DateTimeOffset.UtcNow;
        var self = this.AsReference<IAlertDeliveryReports>();
        foreach (var item in book.State.Outbox)
        {
            if (item.NextRoundAt > now || _delivering.Any(k => k.StartsWith(item.Webhook + " ", StringComparison.Ordinal)))
                continue;
            if (_options.Webhook(item.Webhook) is not { } target)
            {
                logger.LogWarning("alert {AlertId}: webhook {Webhook} is no longer configured; the delivery waits for it", item.AlertId, item.Webhook);
                item.NextRoundAt = now + _options.RoundDelay;
                continue;
            }
            var sender = _sender ??= new WebhookSender(_options);
            var leaving = _leaving.Token;
            _delivering.Add(item.Key);
            (string key, string alertId, string body, int before) = (item.Key, item.AlertId, item.Body, item.Attempts);
            _ = Task.Run(async () =>
            {
                IReadOnlyList<WebhookDelivery> attempts = [];
                try
                {
                    attempts = await sender.DeliverAsync(target, alertId, body, before, leaving);
                }
                catch (Exception e) when (!leaving.IsCancellationRequested)
                {
                    logger.LogWarning(e, "alert {AlertId}: delivery to {Webhook} failed unexpectedly", alertId, target.Name);
                }
                if (leaving.IsCancellationRequested) return; // the engine is going; the item stays in the outbox
                try
                {
                    await self.ReportDelivery(key, attempts);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "alert {AlertId}: delivery to {Webhook} could not report back", alertId, target.Name);
                }
            }, CancellationToken.None);
        }
    }

    private void Log(IEnumerable<WebhookDelivery> attempts)
    {
        var log = progress.State.Deliveries;
        log.AddRange(attempts);
        if (log.Count > _options.KeptDeliveries) log.RemoveRange(0, log.Count - _options.KeptDeliveries);
        _progressWrite.Changed();
    }

    private Alert Find(string alertId) =>
        book.State.Alerts.FindLast(a => a.Id == alertId) ?? throw new KeyNotFoundException($"no alert '{alertId}'");

    private async Task<Alert> ChangeAsync(Alert changed, Actor by, string action, string? detail)
    {
        int at = book.State.Alerts.FindLastIndex(a => a.Id == changed.Id);
        book.State.Alerts[at] = changed;
        await book.WriteStateAsync();
        await AuditAsync(by, action, changed.Id, detail);
        await PublishAsync(changed);
        return changed;
    }

    private Task AuditAsync(Actor by, string action, string target, string? detail) =>
        GrainFactory.GetGrain<IAuditLogGrain>(IAuditLogGrain.Key).Record(new AuditEntry { By = by.Name, From = by.Address, Action = action, Target = target, Detail = detail });

    private async Task PublishAsync(Alert alert)
    {
        try
        {
            await this.GetStreamProvider(RunStreams.Provider).GetStream<Alert>(RunStreams.Alerts).OnNextAsync(alert);
        }
        catch (Exception e)
        {
            // The alert is kept and listed; the page finds it there when it next loads.
            logger.LogWarning(e, "alert {AlertId}: could not publish it on the alerts stream", alert.Id);
        }
    }
}
