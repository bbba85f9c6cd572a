using System.Text.Json;
using System.Text.Json.Nodes;
using StreamMonitor.Monitoring.Tests.Events;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests;

/// <summary>The records' JSON form against the repository's schema: every field present, named and typed as documented.</summary>
public sealed class ContractJsonTests
{
    private readonly RunUpdateSequence _sequence = new("quench");

    public static FrameSummary Full => Summaries.Crystal(7, fcc: 300, hcp: 40, surface: 100, core: 240) with
    {
        RunId = "quench",
        LargestCenter = [1.5, 2.5, 3.5],
        LargestRg = 4.25,
        MeanQ6 = 0.41,
        InterfacePosition = 12.5,
        InterfaceVelocity = -0.02,
    };

    [Fact]
    public void Summaries_events_and_status_changes_are_run_updates_of_the_schema()
    {
        var updates = new[]
        {
            _sequence.Of(new RunStatusChange { State = RunState.Registered, Reason = "registered by user:a", By = "user:a" }),
            _sequence.Of(Summaries.Frame(0) with { RunId = "quench" }),
            _sequence.Of(Full),
            _sequence.Of(new RunEvent
            {
                RunId = "quench", Kind = RunEventKinds.Nucleation, Frame = 7, Step = 700, Message = "n_max reached 340",
                Values = new Dictionary<string, double> { ["n_max"] = 340 }, Labels = new Dictionary<string, string> { ["by"] = "rule:nucleation" },
            }),
            _sequence.Of(new RunStatusChange { State = RunState.Stopping, Previous = RunState.Following, Reason = "created stop file", By = "rule:nucleation", Frame = 7 }),
        };
        foreach (var update in updates)
        {
            var json = JsonSerializer.Serialize(update, ContractJson.Options);
            ContractSchema.Check(json, "run_update");
            Assert.Equal(update.Sequence, JsonSerializer.Deserialize<RunUpdate>(json, ContractJson.Options)!.Sequence);
        }

        var summary = JsonNode.Parse(JsonSerializer.Serialize(updates[2], ContractJson.Options))!;
        Assert.Equal("summary", summary["type"]!.GetValue<string>());
        Assert.Equal(300, summary["summary"]!["class_counts"]!["fcc"]!.GetValue<int>());
        Assert.Equal(["fcc", "hcp", "liquid"], summary["summary"]!["class_counts"]!.AsObject().Select(p => p.Key)); // the model's order
        Assert.Equal(4.25, summary["summary"]!["largest_rg"]!.GetValue<double>());
        Assert.Equal("stopping", JsonNode.Parse(JsonSerializer.Serialize(updates[4], ContractJson.Options))!["status"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public void The_schema_refuses_what_the_contract_does_not_say()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(_sequence.Of(Full), ContractJson.Options))!.AsObject();
        json["summary"]!.AsObject().Remove("n_max");
        Assert.Contains(ContractSchema.Problems(json.ToJsonString(), "run_update"), p => p.Contains("n_max"));

        json = JsonNode.Parse(JsonSerializer.Serialize(_sequence.Of(Full), ContractJson.Options))!.AsObject();
        json["summary"]!["largest_radius_of_gyration"] = 1.0;
        Assert.NotEmpty(ContractSchema.Problems(json.ToJsonString(), "run_update"));

        json = JsonNode.Parse(JsonSerializer.Serialize(_sequence.Of(new RunStatusChange { State = RunState.Stalled, Reason = "r", By = "server" }), ContractJson.Options))!.AsObject();
        json["status"]!["state"] = "sleeping";
        Assert.NotEmpty(ContractSchema.Problems(json.ToJsonString(), "run_update"));
        json["status"]!["state"] = "stalled";
        json["summary"] = JsonNode.Parse(JsonSerializer.Serialize(Full, ContractJson.Options));
        Assert.NotEmpty(ContractSchema.Problems(json.ToJsonString(), "run_update")); // a status update carries no summary
    }

    [Fact]
    public void Durations_are_seconds()
    {
        Assert.Equal("600", JsonSerializer.Serialize(TimeSpan.FromMinutes(10), ContractJson.Options));
        Assert.Equal(TimeSpan.FromSeconds(1.5), JsonSerializer.Deserialize<TimeSpan>("1.5", ContractJson.Options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TimeSpan>("\"00:10:00\"", ContractJson.Options));
    }
}
