using Microsoft.Extensions.Logging.Abstractions;
using StreamMonitor.Grains.Streams;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.Tests.Streams;

/// <summary>Publishing a run's updates through a stream stand-in that refuses on cue (the stream is not what is tested here).</summary>
public sealed class RunUpdatePublisherTests
{
    private readonly RunUpdateSequence _sequence = new("r");

    [Fact]
    public async Task A_refused_update_is_retried_and_nothing_is_lost_or_reordered()
    {
        var published = new List<long>();
        int refusals = 2;
        var publisher = new RunUpdatePublisher("r", update =>
        {
            if (update.Sequence == 2 && refusals-- > 0) throw new TimeoutException("stream queue full");
            published.Add(update.Sequence);
            return Task.CompletedTask;
        }, NullLogger.Instance, firstDelay: TimeSpan.FromMilliseconds(1));
        for (int i = 0; i < 4; i++) publisher.Add(Next());

        Assert.True(await publisher.FlushAsync());
        Assert.Equal([1L, 2, 3, 4], published);
        Assert.Equal(2, publisher.RetryCount);
        Assert.Equal(0, publisher.Pending);
    }

    [Fact]
    public async Task When_the_stream_stays_down_the_updates_wait_in_order_for_the_next_flush()
    {
        var published = new List<long>();
        bool down = true;
        var publisher = new RunUpdatePublisher("r", update =>
        {
            if (down) throw new InvalidOperationException("no stream provider");
            published.Add(update.Sequence);
            return Task.CompletedTask;
        }, NullLogger.Instance, capacity: 3, retries: 1, firstDelay: TimeSpan.FromMilliseconds(1));

        publisher.Add(Next());
        publisher.Add(Next());
        Assert.False(await publisher.FlushAsync());
        Assert.Equal(2, publisher.Pending);
        publisher.Add(Next());
        publisher.Add(Next()); // over capacity: the oldest is let go, counted, and stays with the run for consumers to fetch
        Assert.Equal(1, publisher.AbandonedCount);

        down = false;
        Assert.True(await publisher.FlushAsync());
        Assert.Equal([2L, 3, 4], published);
    }

    private RunUpdate Next() => _sequence.Of(new RunStatusChange { State = RunState.Following, Reason = "test", By = "server" });
}
