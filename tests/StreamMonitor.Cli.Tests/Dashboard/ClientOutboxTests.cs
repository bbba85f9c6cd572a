using Microsoft.Extensions.Logging.Abstractions;
using StreamMonitor.Dashboard.Live;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Cli.Tests.Dashboard;

/// <summary>
/// What one dashboard connection is sent: everything, in order, while it keeps up; when it stops reading, a bounded
/// queue in which each run's latest summary wins and no event or status change is lost.
/// </summary>
public sealed class ClientOutboxTests
{
    /// <summary>A connection whose reading can be held: every send waits for <see cref="Gate"/>.</summary>
    private sealed class Connection
    {
        public readonly List<object> Received = [];
        public TaskCompletionSource Gate { get; set; } = CompletedGate();
        public int Abandoned;

        public async Task Send(string method, object[] payloads, CancellationToken token)
        {
            await Gate.Task.WaitAsync(token);
            lock (Received) Received.AddRange(payloads);
        }

        public List<RunUpdate> Updates()
        {
            lock (Received) return Received.OfType<RunUpdate>().ToList();
        }

        public static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }
    }

    private static ClientOutbox Outbox(Connection connection) =>
        new("c1", connection.Send, () => Interlocked.Increment(ref connection.Abandoned), NullLogger.Instance);

    private static RunUpdate Summary(string run, long sequence) => new()
    {
        RunId = run,
        Sequence = sequence,
        RecordedAt = DateTimeOffset.UnixEpoch,
        Summary = new FrameSummary
        {
            RunId = run, Frame = sequence, Step = sequence, Model = "lj", Count = 1, ClassCounts = new Dictionary<string, int>(),
            Undefined = 0, Crystalline = 0, CrystallineClasses = [], NMax = 0, LatencyMs = 1,
        },
    };

    private static RunUpdate Event(string run, long sequence) => new()
    {
        RunId = run,
        Sequence = sequence,
        RecordedAt = DateTimeOffset.UnixEpoch,
        Event = new RunEvent { RunId = run, Kind = "nucleation", Frame = sequence, Step = sequence, Message = "m", Values = new Dictionary<string, double>(), Labels = new Dictionary<string, string>(), At = DateTimeOffset.UnixEpoch },
    };

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_client_that_keeps_up_gets_every_update_in_order()
    {
        var connection = new Connection();
        var client = new LiveClient(Outbox(connection));
        client.Follow("a");
        for (int i = 1; i <= 1000; i++)
        {
            client.Offer(i % 10 == 0 ? Event("a", i) : Summary("a", i));
            // Keeping up: bursts shorter than the queue's coalescing threshold, each sent before the next.
            if (i % 100 == 0) await Eventually(() => client.Outbox.Waiting == 0);
        }
        client.Offer(Summary("b", 1)); // neither followed nor listed: not sent
        await Eventually(() => connection.Updates().Count == 1000);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), connection.Updates().Select(u => u.Sequence));
        await client.DisposeAsync();
    }

    [Fact]
    public async Task A_client_that_stops_reading_holds_each_runs_latest_summary_and_every_event()
    {
        var connection = new Connection { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var client = new LiveClient(Outbox(connection));
        string[] runs = ["a", "b", "c", "d", "e"];
        foreach (var run in runs) client.Follow(run);
        var sequence = runs.ToDictionary(r => r, _ => 0L);
        int events = 0;
        for (int i = 0; i < 50_000; i++)
        {
            var run = runs[i % runs.Length];
            long next = ++sequence[run];
            bool isEvent = i % 997 == 0;
            events += isEvent ? 1 : 0;
            client.Offer(isEvent ? Event(run, next) : Summary(run, next));
        }
        // Bounded: past the threshold only the events and one summary per run are added.
        Assert.InRange(client.Outbox.Waiting, 1, ClientOutbox.CoalesceAbove + ClientOutbox.MaxBatch + events + runs.Length);
        Assert.True(client.Outbox.Coalesced > 40_000);
        Assert.Equal(0, connection.Abandoned);

        connection.Gate.SetResult();
        await Eventually(() => client.Outbox.Waiting == 0);
        await Eventually(() => connection.Updates().Count > 0 && connection.Updates().Max(u => u.Sequence) == sequence.Values.Max());
        var received = connection.Updates();
        Assert.Equal(events, received.Count(u => u.Event is not null));
        foreach (var run in runs)
        {
            var mine = received.Where(u => u.RunId == run).Select(u => u.Sequence).ToList();
            Assert.Equal(mine.Order(), mine); // each run's updates in sequence order
            Assert.Equal(sequence[run], mine[^1]); // and the latest summary arrives
        }
        await client.DisposeAsync();
    }

    [Fact]
    public async Task The_runs_list_gets_only_the_latest_summary_of_a_run_but_every_event()
    {
        var connection = new Connection { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var client = new LiveClient(Outbox(connection)) { WatchesList = true };
        client.Offer(Summary("a", 1)); // taken by the send loop, which then waits at the gate
        await Eventually(() => client.Outbox.Waiting == 0);
        client.Offer(Summary("a", 2));
        client.Offer(Event("a", 3));
        client.Offer(Summary("a", 4));
        client.Offer(Summary("a", 5));
        client.Offer(Summary("b", 1));
        Assert.Equal(3, client.Outbox.Waiting); // a's event, a's summary 5, b's summary 1
        connection.Gate.SetResult();
        await Eventually(() => connection.Updates().Count == 4);
        Assert.Equal(["a1", "a3", "a5", "b1"], connection.Updates().Select(u => u.RunId + u.Sequence));
        await client.DisposeAsync();
    }

    [Fact]
    public async Task A_client_whose_queue_of_events_grows_without_end_is_disconnected()
    {
        var connection = new Connection { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var client = new LiveClient(Outbox(connection));
        client.Follow("a");
        for (int i = 1; i <= ClientOutbox.AbandonAbove + ClientOutbox.MaxBatch + 10; i++) client.Offer(Event("a", i));
        Assert.True(connection.Abandoned > 0);
        connection.Gate.SetResult();
        await client.DisposeAsync();
    }
}
