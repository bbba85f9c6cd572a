using System.Text.Json;
using StreamMonitor.Monitoring.Alerts;
using StreamMonitor.Monitoring.Tests.Events;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Alerts;

/// <summary>The alert rules applied to runs' updates without a silo: what fires, once per occurrence, and what a snooze holds back.</summary>
public sealed class AlertEvaluatorTests
{
    private readonly Dictionary<string, RunAlertState> _runs = [];
    private readonly AlertMemory _memory = new();

    private AlertEvaluator Evaluator(params AlertRule[] rules)
    {
        var evaluator = new AlertEvaluator(_runs, _memory);
        evaluator.SetRules(rules);
        return evaluator;
    }

    private static AlertRule Rule(string id, AlertCondition when, string runs = RunGlob.Any) => new() { Id = id, When = when, Runs = runs, Severity = AlertSeverity.Critical };

    private static RunUpdate Update(string runId, long sequence, DateTimeOffset at, FrameSummary? summary = null, RunEvent? e = null, RunState? state = null) => new()
    {
        RunId = runId,
        Sequence = sequence,
        RecordedAt = at,
        Summary = summary is null ? null : summary with { RunId = runId },
        Event = e,
        Status = state is { } s ? new RunStatusChange { State = s, Reason = "test", By = "server" } : null,
    };

    private static RunEvent Nucleation(string runId) => new() { RunId = runId, Kind = RunEventKinds.Nucleation, Frame = 7, Step = 700, Message = "n_max reached 60", Values = new Dictionary<string, double> { ["n_max"] = 60 } };

    [Fact]
    public void An_event_rule_fires_for_runs_its_glob_matches_once_per_event_update()
    {
        var evaluator = Evaluator(Rule("nuc", new AlertCondition { Event = RunEventKinds.Nucleation }, runs: "lj-*"));
        var raised = evaluator.Evaluate(Update("lj-1", 5, Summaries.Start, e: Nucleation("lj-1")));
        var alert = Assert.Single(raised);
        Assert.Equal("nuc/lj-1/5", alert.Id);
        Assert.Equal((5L, 7L, 700L), (alert.Occurrence, alert.Frame!.Value, alert.Step!.Value));
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Equal(60, alert.Values["n_max"]);
        Assert.Equal(RunEventKinds.Nucleation, alert.Event!.Kind);
        Assert.Contains("n_max reached 60", alert.Message);
        ContractSchema.Check(JsonSerializer.Serialize(alert, ContractJson.Options), "alert");

        Assert.Empty(evaluator.Evaluate(Update("lj-1", 5, Summaries.Start, e: Nucleation("lj-1")))); // the same update again
        Assert.Empty(evaluator.Evaluate(Update("water-1", 5, Summaries.Start, e: Nucleation("water-1")))); // not matched by the glob
        Assert.Empty(evaluator.Evaluate(Update("lj-2", 3, Summaries.Start, e: Nucleation("lj-2") with { Kind = RunEventKinds.Melting })));
        Assert.Equal("nuc/lj-2/9", Assert.Single(evaluator.Evaluate(Update("lj-2", 9, Summaries.Start, e: Nucleation("lj-2")))).Id);
    }

    [Fact]
    public void A_quantity_rule_fires_once_after_holding_for_n_frames_and_again_only_after_it_stopped_holding()
    {
        var evaluator = Evaluator(Rule("big", new AlertCondition { Quantity = "n_max", Op = ">", Value = 500, ForFrames = 3 }));
        int[] nMax = [600, 600, 100, 600, 600, 600, 700, 800, 0, 900, 900, 900];
        var raised = new List<Alert>();
        for (int i = 0; i < nMax.Length; i++)
            raised.AddRange(evaluator.Evaluate(Update("lj-1", i + 1, Summaries.ArrivalOf(i), Summaries.Crystal(i, nMax[i]))));
        // Frames 3..5 (sequences 4..6) make the first streak of three, frames 9..11 (sequences 10..12) the second.
        Assert.Equal(["big/lj-1/6", "big/lj-1/12"], raised.Select(a => a.Id));
        Assert.Equal(600, raised[0].Values["n_max"]);
        Assert.Equal(500, raised[0].Values["threshold"]);
        Assert.Equal(5, raised[0].Frame);

        // Evaluated again from the start by a fresh evaluator on the same memory (a restart that lost its progress): nothing new.
        _runs.Clear();
        var again = Evaluator(Rule("big", new AlertCondition { Quantity = "n_max", Op = ">", Value = 500, ForFrames = 3 }));
        for (int i = 0; i < nMax.Length; i++)
            Assert.Empty(again.Evaluate(Update("lj-1", i + 1, Summaries.ArrivalOf(i), Summaries.Crystal(i, nMax[i]))));
    }

    [Fact]
    public void A_no_frame_rule_fires_for_a_silent_live_run_at_its_last_frame_and_not_for_an_ended_run()
    {
        var evaluator = Evaluator(Rule("quiet", new AlertCondition { NoFrameFor = TimeSpan.FromMinutes(10) }));
        var t0 = Summaries.Start;
        evaluator.Evaluate(Update("lj-1", 1, t0, state: RunState.Registered));
        evaluator.Evaluate(Update("lj-1", 2, t0.AddSeconds(1), Summaries.Frame(0)));
        evaluator.Evaluate(Update("lj-1", 3, t0.AddSeconds(2), Summaries.Frame(1)));
        evaluator.Evaluate(Update("lj-2", 1, t0, state: RunState.Registered));
        evaluator.Evaluate(Update("lj-2", 2, t0.AddSeconds(1), Summaries.Frame(0)));
        evaluator.Evaluate(Update("lj-2", 3, t0.AddSeconds(3), state: RunState.Finished));

        Assert.Empty(evaluator.CheckSilence(t0.AddMinutes(9)));
        var alert = Assert.Single(evaluator.CheckSilence(t0.AddMinutes(11)));
        Assert.Equal("quiet/lj-1/3", alert.Id); // the last frame before the silence
        Assert.Equal(1, alert.Frame);
        Assert.Empty(evaluator.CheckSilence(t0.AddMinutes(12))); // the same silence
        Assert.Empty(evaluator.CheckSilence(t0.AddMinutes(11), current: _ => false));

        // The late frame finds the same silence (as after a restart) and raises nothing new; a later silence is another occurrence.
        Assert.Empty(evaluator.Evaluate(Update("lj-1", 4, t0.AddMinutes(13), Summaries.Frame(2))));
        Assert.Equal("quiet/lj-1/4", Assert.Single(evaluator.Evaluate(Update("lj-1", 5, t0.AddMinutes(30), Summaries.Frame(3)))).Id);
    }

    [Fact]
    public void A_snooze_holds_back_the_rules_alerts_for_that_run_until_it_ends_and_they_do_not_come_back_after()
    {
        var evaluator = Evaluator(Rule("nuc", new AlertCondition { Event = RunEventKinds.Nucleation }));
        var t0 = DateTimeOffset.UtcNow;
        evaluator.Snooze("nuc", "lj-1", t0.AddHours(1));
        Assert.Empty(evaluator.Evaluate(Update("lj-1", 1, t0.AddMinutes(5), e: Nucleation("lj-1"))));
        Assert.Single(evaluator.Evaluate(Update("lj-2", 1, t0.AddMinutes(5), e: Nucleation("lj-2")))); // another run
        Assert.Single(evaluator.Evaluate(Update("lj-1", 2, t0.AddHours(2), e: Nucleation("lj-1")))); // after the snooze
        _runs.Clear();
        Assert.Empty(evaluator.Evaluate(Update("lj-1", 1, t0.AddMinutes(5), e: Nucleation("lj-1")))); // held back for good
    }

    [Fact]
    public void Rules_are_validated_field_by_field()
    {
        var rule = new AlertRule
        {
            Id = "bad/id",
            Runs = "lj-[1]",
            When = new AlertCondition { Quantity = "n_maximum", Op = "=>", ForFrames = 0 },
            Webhooks = ["lab", "chat"],
        };
        var problems = rule.Problems(["lab"]);
        Assert.Contains(problems, p => p.StartsWith("id: ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("runs: ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("when.quantity: unknown quantity 'n_maximum'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("when.op: '=>' is not an operator", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("when.value: missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("when.for_frames: must be 1..", StringComparison.Ordinal));
        Assert.Contains("webhooks[1]: no webhook 'chat' is configured on the server (configured: lab)", problems);
        Assert.Equal(7, problems.Count);
        Assert.Contains("give exactly one of event, quantity or no_frame_for",
            Assert.Single(new AlertRule { Id = "two", When = new AlertCondition { Event = "stop", NoFrameFor = TimeSpan.FromMinutes(1) } }.Problems([])));
        Assert.Empty(new AlertRule { Id = "ok", When = new AlertCondition { NoFrameFor = TimeSpan.FromMinutes(10) } }.Problems([]));
    }

    [Fact]
    public void A_webhook_signature_is_the_hmac_of_timestamp_dot_body_and_verifies_only_unchanged()
    {
        const string secret = "0123456789abcdef", body = """{"id":"r/run/1"}""";
        string signature = WebhookSignature.Sign(secret, 1_700_000_000, body);
        // Independently: printf '1700000000.{"id":"r/run/1"}' | openssl dgst -sha256 -hmac 0123456789abcdef
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("0123456789abcdef"u8, "1700000000.{\"id\":\"r/run/1\"}"u8));
        Assert.Equal("sha256=" + expected, signature);
        Assert.True(WebhookSignature.Verify(secret, 1_700_000_000, body, signature));
        Assert.False(WebhookSignature.Verify(secret, 1_700_000_001, body, signature));
        Assert.False(WebhookSignature.Verify(secret, 1_700_000_000, body + " ", signature));
        Assert.False(WebhookSignature.Verify("another secret!!", 1_700_000_000, body, signature));
    }
}
