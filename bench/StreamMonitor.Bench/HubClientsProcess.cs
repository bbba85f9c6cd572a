namespace StreamMonitor.Bench;

/// <summary>
/// Dashboard clients (<see cref="HubListener"/>s) in a process of their own at the lowest CPU priority (<c>nice -n 19</c>),
/// for measuring what serving them costs the server's analysis: on the same two cores, in-process clients would charge
/// their own receiving and JSON parsing to the server, which browsers on other machines do not. The child
/// (<c>StreamMonitor.Bench --hub-clients URL N FOLLOWED RUN,RUN,...</c>) connects, says <c>ready</c>, and on a line on its
/// standard input disconnects and prints <c>received=N</c> (the summaries its clients got).
/// </summary>
public sealed class HubClientsProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly ChildSession _child;

    private HubClientsProcess(ChildSession child) => _child = child;

    /// <summary>Starts <paramref name="clients"/> clients, following runs as <see cref="HubListener.ConnectManyAsync"/> assigns them.</summary>
    public static async Task<HubClientsProcess> StartAsync(string hubUrl, int clients, int followed, IReadOnlyList<string> runs) =>
        new(await ChildSession.StartAsync("the clients' process", ["nice", "-n", "19"],
            ["--hub-clients", hubUrl, clients.ToString(), followed.ToString(), string.Join(',', runs)], StartTimeout));

    /// <summary>Disconnects the clients; returns the summaries they received.</summary>
    public async Task<long> StopAsync() => long.Parse(await _child.AskAsync("stop", "received"));

    /// <summary>The child side.</summary>
    public static int Run(string hubUrl, int clients, int followed, string runList)
    {
        var listeners = HubListener.ConnectManyAsync(hubUrl, clients, followed, runList.Split(',')).GetAwaiter().GetResult();
        Console.WriteLine("ready");
        Console.In.ReadLine();
        long received = listeners.Sum(l => (long)l.SummaryCount);
        Task.WhenAll(listeners.Select(l => l.DisposeAsync().AsTask())).GetAwaiter().GetResult();
        Console.WriteLine($"received={received}");
        return 0;
    }

    public ValueTask DisposeAsync() => _child.DisposeAsync();
}
