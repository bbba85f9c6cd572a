using System.Collections.Concurrent;
using System.Diagnostics;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Bench;

/// <summary>
/// One phase of runs on an in-process server: their ids, their growing files, when each frame was written and when its
/// summary reached the all-runs stream, and the events and status changes the runs published, so the dashboard's
/// clients can be checked against what was sent.
/// </summary>
public sealed class FanoutPhase
{
    private readonly Dictionary<string, int> _runOf;
    private readonly long[] _lastSummarySequence;
    private readonly ConcurrentQueue<(string Run, long Sequence)> _others = new();
    private readonly ConcurrentQueue<(long Frame, double Ms)> _streamLatencies = new();
    private int _arrivals, _firstArrivals;
    private long _lastArrival;

    /// <param name="frameCount">Frames each run is written (frame 0 included).</param>
    public FanoutPhase(string directory, string name, int runs, int frameCount)
    {
        Name = name;
        FrameCount = frameCount;
        Ids = [.. Enumerable.Range(0, runs).Select(i => $"fanout-{name}-{i}")];
        _runOf = Ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        Files = new GrowingDumps(directory, name, runs);
        Written = new long[runs, frameCount];
        Arrived = new long[runs, frameCount];
        _lastSummarySequence = new long[runs];
    }

    public string Name { get; }

    public int FrameCount { get; }

    public IReadOnlyList<string> Ids { get; }

    public GrowingDumps Files { get; }

    /// <summary>Timestamps (<see cref="Stopwatch"/>) of each frame's write, by run and frame.</summary>
    public long[,] Written { get; }

    /// <summary>Timestamps of each frame's summary on the all-runs stream, by run and frame (0: not yet).</summary>
    public long[,] Arrived { get; }

    public int Arrivals => Volatile.Read(ref _arrivals);

    public int FirstArrivals => Volatile.Read(ref _firstArrivals);

    public long LastArrival => Interlocked.Read(ref _lastArrival);

    /// <summary>Records an update from the all-runs stream, heard at <paramref name="now"/>.</summary>
    public void Heard(RunUpdate update, long now)
    {
        if (!_runOf.TryGetValue(update.RunId, out int run)) return;
        if (update.Summary is not { } summary)
        {
            _others.Enqueue((update.RunId, update.Sequence));
            return;
        }
        if (summary.Frame >= FrameCount || Arrived[run, summary.Frame] != 0) return;
        Arrived[run, summary.Frame] = now;
        _streamLatencies.Enqueue((summary.Frame, (DateTimeOffset.UtcNow - update.RecordedAt).TotalMilliseconds));
        if (summary.Frame == FrameCount - 1) Volatile.Write(ref _lastSummarySequence[run], update.Sequence);
        if (summary.Frame == 0) Interlocked.Increment(ref _firstArrivals);
        Interlocked.Increment(ref _arrivals);
        Interlocked.Exchange(ref _lastArrival, Math.Max(now, Interlocked.Read(ref _lastArrival)));
    }

    /// <summary>
    /// Milliseconds from recorded_at to the all-runs stream's in-process subscriber, of frame <paramref name="fromFrame"/>
    /// on: the part of a client's latency spent before the dashboard's fan-out.
    /// </summary>
    public IReadOnlyList<double> StreamLatenciesMs(long fromFrame) => [.. _streamLatencies.Where(s => s.Frame >= fromFrame).Select(s => s.Ms)];

    /// <summary>
    /// Whether <paramref name="client"/> has every run's last summary: since a run's updates reach a client in
    /// sequence order, it then has (or has had coalesced away) everything the run published before.
    /// </summary>
    public bool HasEverything(HubListener client)
    {
        for (int run = 0; run < Ids.Count; run++)
        {
            long last = Volatile.Read(ref _lastSummarySequence[run]);
            if (last == 0 || client.LastSequence(Ids[run]) < last) return false;
        }
        return true;
    }

    /// <summary>The events and status changes published before each run's last summary: what a client must have received.</summary>
    public IReadOnlyList<(string Run, long Sequence)> OthersBeforeLastSummaries() =>
        [.. _others.Where(o => o.Sequence < Volatile.Read(ref _lastSummarySequence[_runOf[o.Run]]))];

    /// <summary>
    /// Summaries per second from the first write of frame <paramref name="fromFrame"/> to the last summary: the offered
    /// rate when the pipeline keeps up, less when a backlog stretches the span.
    /// </summary>
    public double SustainedFramesPerSecond(int fromFrame)
    {
        long firstWrite = long.MaxValue, lastArrival = long.MinValue;
        int count = 0;
        for (int run = 0; run < Ids.Count; run++)
            for (int k = fromFrame; k < FrameCount; k++)
            {
                firstWrite = Math.Min(firstWrite, Written[run, k]);
                if (Arrived[run, k] == 0) continue;
                lastArrival = Math.Max(lastArrival, Arrived[run, k]);
                count++;
            }
        return count < 2 ? double.NaN : (count - 1) / Stopwatch.GetElapsedTime(firstWrite, lastArrival).TotalSeconds;
    }
}
