using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.Monitoring.Events;
using StreamMonitor.Monitoring.Tests.Events;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Runs;

/// <summary>Detectors and stop rules together, as the run grain and <c>watch</c> use them, with a real stop file.</summary>
public sealed class RunSupervisorTests : IDisposable
{
    private static readonly EventRules Rules = EventRules.Parse("""{ "nucleation": { "threshold": 50, "consecutive": 2, "growth": null } }""", "rules");

    private readonly TempDirectory _temp = new("streammonitor-supervisor-");

    public void Dispose() => _temp.Dispose();

    private RunSupervisor Supervisor(IEnumerable<string> stopOn, List<string>? fired = null) =>
        new(new EventDetectors(Rules, Summaries.RunId),
            new StopRules(Summaries.RunId, stopOn, () => new StopFileStrategy(_temp.File("STOP")), fired));

    [Fact]
    public async Task An_event_is_followed_by_the_stop_it_causes_stamped_with_the_frame_reached_and_a_kind_stops_only_once()
    {
        var supervisor = Supervisor([RunEventKinds.Nucleation]);
        var events = new List<RunEvent>();
        foreach (var s in new[] { Summaries.Frame(0), Summaries.Crystal(1, 60), Summaries.Crystal(2, 70) })
            events.AddRange(await supervisor.ObserveAsync(s, Summaries.ArrivalOf(s.Frame)));

        Assert.Equal([RunEventKinds.Nucleation, RunEventKinds.Stop], events.Select(e => e.Kind));
        Assert.Equal(1, events[0].Frame); // where n_max first crossed
        Assert.Equal(2, events[1].Frame); // where the run was when it was stopped
        Assert.Equal("rule:nucleation", events[1].Labels["by"]);
        Assert.True(File.Exists(_temp.File("STOP")));
        Assert.Equal(StopOutcome.SucceededLabel, events[1].Labels["outcome"]);

        // Melting re-arms nucleation; the second nucleation is reported but stops nothing.
        File.Delete(_temp.File("STOP"));
        var later = new List<RunEvent>();
        for (long f = 3; f < 6; f++) later.AddRange(await supervisor.ObserveAsync(Summaries.Frame(f), Summaries.ArrivalOf(f)));
        for (long f = 6; f < 9; f++) later.AddRange(await supervisor.ObserveAsync(Summaries.Crystal(f, 80), Summaries.ArrivalOf(f)));
        Assert.Contains(later, e => e.Kind == RunEventKinds.Nucleation);
        Assert.DoesNotContain(later, e => e.Kind == RunEventKinds.Stop);
        Assert.False(File.Exists(_temp.File("STOP")));
    }

    [Fact]
    public async Task Replaying_recorded_history_keeps_an_event_from_firing_again_and_keeps_its_stop_spent()
    {
        var history = new[] { Summaries.Frame(0), Summaries.Crystal(1, 60), Summaries.Crystal(2, 70) };
        var fired = new List<string> { RunEventKinds.Nucleation }; // persisted with the run

        var replayed = Supervisor([RunEventKinds.Nucleation], fired);
        replayed.Replay(history);
        Assert.Empty(await replayed.ObserveAsync(Summaries.Crystal(3, 90), Summaries.ArrivalOf(3)));
        Assert.Equal(3, replayed.Latest!.Frame);

        // Without the history the same frame (and the next) would be reported as new nucleation.
        var blank = Supervisor([]);
        var found = new List<RunEvent>();
        found.AddRange(await blank.ObserveAsync(Summaries.Crystal(3, 90), Summaries.ArrivalOf(3)));
        found.AddRange(await blank.ObserveAsync(Summaries.Crystal(4, 95), Summaries.ArrivalOf(4)));
        Assert.Contains(found, e => e.Kind == RunEventKinds.Nucleation);
    }

    [Fact]
    public async Task Replay_starts_over_where_the_frame_index_went_back()
    {
        // An earlier file crystallized; the current one (frames 0, 1 after a restart) has not yet.
        var history = new[] { Summaries.Crystal(5, 60), Summaries.Crystal(6, 70), Summaries.Frame(0), Summaries.Crystal(1, 60) };
        var supervisor = Supervisor([]);
        supervisor.Replay(history);
        var events = await supervisor.ObserveAsync(Summaries.Crystal(2, 70), Summaries.ArrivalOf(2));
        var nucleation = Assert.Single(events);
        Assert.Equal(1, nucleation.Frame);
    }

    [Fact]
    public async Task An_operator_stop_always_goes_through_and_a_run_without_strategy_records_a_failed_stop()
    {
        var supervisor = Supervisor([]);
        await supervisor.ObserveAsync(Summaries.Frame(4), Summaries.ArrivalOf(4));
        var first = await supervisor.StopAsync(new Actor("user:carol"));
        var second = await supervisor.StopAsync(new Actor("user:carol"));
        Assert.All(new[] { first, second }, e => Assert.Equal(StopOutcome.SucceededLabel, e.Labels["outcome"]));
        Assert.Equal(4, first.Frame);

        var none = new RunSupervisor(new EventDetectors(Rules, Summaries.RunId), new StopRules(Summaries.RunId, [], null));
        var failed = await none.StopAsync(new Actor("user:carol"));
        Assert.Equal(StopOutcome.FailedLabel, failed.Labels["outcome"]);
        Assert.Throws<ArgumentException>(() => new StopRules(Summaries.RunId, [RunEventKinds.Melting], null));
        Assert.Throws<ArgumentException>(() => new StopRules(Summaries.RunId, ["boiling"], () => new StopFileStrategy(_temp.File("S"))));
    }
}
