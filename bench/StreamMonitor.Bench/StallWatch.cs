using System.Diagnostics;
using StreamMonitor.Dashboard.Live;

namespace StreamMonitor.Bench;

/// <summary>
/// A <see cref="StalledHubConnection"/> on an in-process server, and what its presence costs the server, sampled
/// while runs go on: the messages queued for it and for all connections (<see cref="LiveClients.Waiting"/>) and the
/// managed heap.
/// </summary>
public sealed class StallWatch : IAsyncDisposable
{
    private static readonly TimeSpan SamplePeriod = TimeSpan.FromMilliseconds(500);

    private readonly StalledHubConnection _stalled;
    private readonly LiveClients _clients;
    private readonly long _heapBefore;
    private readonly List<StallObservation.Sample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private StallWatch(StalledHubConnection stalled, LiveClients clients)
    {
        _stalled = stalled;
        _clients = clients;
        _heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        _sampling = SampleAsync();
    }

    /// <summary>Connects a client that watches the runs list and follows <paramref name="runIds"/>, then never reads.</summary>
    public static async Task<StallWatch> StartAsync(string hubUrl, LiveClients clients, IEnumerable<string> runIds) =>
        new(await StalledHubConnection.ConnectAsync(hubUrl, runIds), clients);

    /// <summary>Stops sampling; the heap after a full collection, with the stalled client still connected.</summary>
    public async Task<StallObservation> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        var outbox = _clients.Find(_stalled.ConnectionId)?.Outbox;
        return new StallObservation(_samples, _heapBefore, GC.GetTotalMemory(forceFullCollection: true), outbox?.Coalesced ?? -1, outbox is not null);
    }

    private async Task SampleAsync()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                _samples.Add(new StallObservation.Sample(clock.Elapsed.TotalSeconds, _clients.Find(_stalled.ConnectionId)?.Outbox.Waiting ?? -1,
                    _clients.Waiting, GC.GetTotalMemory(forceFullCollection: false)));
                await Task.Delay(SamplePeriod, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stalled.DisposeAsync();
        _stop.Dispose();
    }
}

/// <summary>
/// What a stalled client cost: samples of its queue (-1 once the server dropped it), all connections' queues and the
/// managed heap; the heap after full collections at its start and end; how many of its messages were coalesced away.
/// </summary>
public sealed record StallObservation(
    IReadOnlyList<StallObservation.Sample> Samples, long HeapBeforeBytes, long HeapAfterBytes, long Coalesced, bool StillConnected)
{
    public sealed record Sample(double Seconds, int StalledWaiting, int AllWaiting, long HeapBytes);
}
