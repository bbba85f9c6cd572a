using StreamMonitor.Metrics;
using StreamMonitor.Monitoring;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// Run updates turned into InfluxDB line protocol (<see cref="RunUpdatePoints"/> into a reused
/// <see cref="LineProtocolWriter"/>), on one thread: 4096 updates of 8 runs, 98% frame summaries with two classes and
/// every optional value set, the rest events and status changes. No peer: the goal is 500,000 points/s on one core.
/// </summary>
public sealed class InfluxSerializeCase : IBenchCase
{
    private const int Updates = 4096;

    public string Name => "influx-serialize";

    public string Description => "run updates to InfluxDB line protocol (frame summaries, events, status changes), points/s on one core; goal >= 500,000";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var updates = Enumerable.Range(1, Updates).Select(Make).ToArray();
        using var writer = new LineProtocolWriter(1 << 22);
        long bytes = 0;
        void Pass()
        {
            writer.Clear();
            foreach (var update in updates) RunUpdatePoints.Write(update, "campaign-1", writer);
            bytes = writer.Written.Length;
        }

        Rate(Pass, Updates); // warm-up
        var rates = new List<double>();
        for (int round = 0; round < context.Rounds; round++) rates.Add(Rate(Pass, Updates));
        double rate = Median(rates);
        return
        [
            $"{Name} points_per_s={rate:0}",
            $"  {Updates} updates per pass ({F(bytes / (double)Updates, 0)} bytes a line), one thread, medians of {context.Rounds} rounds of at least 0.3 s; goal 500000 points/s: {(rate >= 500_000 ? "met" : "NOT met")}",
        ];
    }

    private static RunUpdate Make(int i)
    {
        string run = $"run-{i % 8}";
        var at = DateTimeOffset.UnixEpoch.AddDays(20_000).AddMilliseconds(i * 37);
        if (i % 100 == 0)
            return new RunUpdate
            {
                RunId = run, Sequence = i, RecordedAt = at,
                Event = new RunEvent { RunId = run, Kind = "nucleation", Frame = i, Step = i * 100L, Message = "n_max crossed 100", Values = new Dictionary<string, double> { ["n_max"] = 120 } },
            };
        if (i % 100 == 1)
            return new RunUpdate { RunId = run, Sequence = i, RecordedAt = at, Status = new RunStatusChange { State = RunState.Following, Reason = "frames arrive", By = "server" } };
        return new RunUpdate
        {
            RunId = run, Sequence = i, RecordedAt = at,
            Summary = new FrameSummary
            {
                RunId = run, Frame = i, Step = i * 100L, Model = "lj-fcc", Count = 32000,
                ClassCounts = new Dictionary<string, int> { ["liquid"] = 32000 - i, ["fcc"] = i }, Undefined = 0, Crystalline = i,
                CrystallineClasses = ["fcc"], NMax = i / 2, MeanQ6 = 0.2 + i * 1e-5, Surface = i / 4, Core = i / 2 - i / 4, LargestRg = 3.5 + i * 1e-3,
                InterfacePosition = 20.25 + i * 1e-3, InterfaceVelocity = 1.5e-4, FramesBehind = 0, LatencyMs = 12.5 + i % 7,
            },
        };
    }
}
