using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace StreamMonitor.Bench;

/// <summary>
/// One dashboard client as the page is one: a SignalR connection to the runs hub (WebSockets, JSON protocol) that
/// watches the runs list and follows a few runs. For every summary it receives it keeps the time from the summary's
/// <c>recorded_at</c> to its arrival here (the server is in this process: one clock), and it keeps the
/// <c>(run_id, sequence)</c> of every event and status change, and each run's last sequence, so a case can tell whether
/// anything was lost or came out of order.
/// </summary>
public sealed class HubListener : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly List<(long Frame, double Ms)> _summaries = [];
    private readonly HashSet<(string Run, long Sequence)> _others = [];
    private readonly Dictionary<string, long> _lastSequence = new(StringComparer.Ordinal);
    private int _outOfOrder;

    private HubListener(string hubUrl)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(hubUrl, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .AddJsonProtocol()
            .Build();
        _connection.On<JsonElement>("updates", Receive);
    }

    /// <summary>Connects to <paramref name="hubUrl"/>, watches the runs list and follows <paramref name="follow"/>.</summary>
    public static async Task<HubListener> ConnectAsync(string hubUrl, IEnumerable<string> follow)
    {
        var listener = new HubListener(hubUrl);
        await listener._connection.StartAsync();
        await listener._connection.InvokeAsync("WatchRuns");
        foreach (var run in follow) await listener._connection.InvokeAsync("Follow", run);
        return listener;
    }

    /// <summary>
    /// <paramref name="clients"/> listeners, connected at once; client c follows runs F·c … F·c+F−1 (mod the runs), so
    /// every run is followed by about the same number of clients.
    /// </summary>
    public static async Task<List<HubListener>> ConnectManyAsync(string hubUrl, int clients, int followed, IReadOnlyList<string> runs) =>
    [
        .. await Task.WhenAll(Enumerable.Range(0, clients).Select(c =>
            ConnectAsync(hubUrl, Enumerable.Range(0, followed).Select(j => runs[(c * followed + j) % runs.Count])))),
    ];

    /// <summary>Milliseconds from recorded_at to arrival of each summary of frame <paramref name="fromFrame"/> on.</summary>
    public IReadOnlyList<double> LatenciesMs(long fromFrame)
    {
        lock (_summaries) return [.. _summaries.Where(s => s.Frame >= fromFrame).Select(s => s.Ms)];
    }

    public int SummaryCount
    {
        get
        {
            lock (_summaries) return _summaries.Count;
        }
    }

    /// <summary>Updates that came with a sequence number not above the run's previous one.</summary>
    public int OutOfOrder => Volatile.Read(ref _outOfOrder);

    public bool Received(string run, long sequence)
    {
        lock (_summaries) return _others.Contains((run, sequence));
    }

    /// <summary>The highest sequence received of <paramref name="run"/> (0: none).</summary>
    public long LastSequence(string run)
    {
        lock (_summaries) return _lastSequence.GetValueOrDefault(run);
    }

    private void Receive(JsonElement batch)
    {
        var arrived = DateTimeOffset.UtcNow;
        lock (_summaries)
            foreach (var update in batch.EnumerateArray())
            {
                string run = update.GetProperty("run_id").GetString() ?? "";
                long sequence = update.GetProperty("sequence").GetInt64();
                if (sequence <= _lastSequence.GetValueOrDefault(run)) _outOfOrder++;
                else _lastSequence[run] = sequence;
                if (update.GetProperty("type").GetString() == "summary")
                    _summaries.Add((update.GetProperty("summary").GetProperty("frame").GetInt64(),
                        (arrived - update.GetProperty("recorded_at").GetDateTimeOffset()).TotalMilliseconds));
                else
                    _others.Add((run, sequence));
            }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
