using StreamMonitor.Monitoring;

namespace StreamMonitor.Metrics.Tests;

/// <summary>Run updates of every kind, with distinct values, for writing and reading back.</summary>
public static class Updates
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static RunUpdate Summary(string run, long sequence, string model = "lj-fcc") => new()
    {
        RunId = run,
        Sequence = sequence,
        RecordedAt = Start.AddMilliseconds(sequence * 10),
        Summary = new FrameSummary
        {
            RunId = run,
            Frame = sequence - 1,
            Step = sequence * 1000,
            Model = model,
            Count = 4000,
            ClassCounts = new Dictionary<string, int> { ["liquid"] = 4000 - (int)sequence, ["fcc"] = (int)sequence },
            Undefined = 0,
            Crystalline = (int)sequence,
            CrystallineClasses = ["fcc"],
            NMax = (int)(sequence / 2),
            MeanQ6 = 0.25 + sequence * 1e-4,
            Surface = sequence % 3 == 0 ? null : (int)(sequence / 4),
            Core = sequence % 3 == 0 ? null : (int)(sequence / 2 - sequence / 4),
            LargestRg = 1.0 / 3 + sequence,
            InterfacePosition = sequence % 2 == 0 ? 12.5 + sequence * 0.01 : null,
            InterfaceVelocity = sequence % 2 == 0 ? -1e-5 * sequence : null,
            FramesBehind = sequence % 5,
            LatencyMs = 0.125 * sequence,
        },
    };

    public static RunUpdate Event(string run, long sequence) => new()
    {
        RunId = run,
        Sequence = sequence,
        RecordedAt = Start.AddMilliseconds(sequence * 10),
        Event = new RunEvent
        {
            RunId = run,
            Kind = "nucleation",
            Frame = sequence,
            Step = sequence * 1000,
            Message = "n_max 120 \"crossed\" 100\nat frame 7",
            Values = new Dictionary<string, double> { ["n_max"] = 120, ["threshold"] = 100.5 },
        },
    };

    public static RunUpdate Status(string run, long sequence, RunState state) => new()
    {
        RunId = run,
        Sequence = sequence,
        RecordedAt = Start.AddMilliseconds(sequence * 10),
        Status = new RunStatusChange { State = state, Reason = "the file has not grown for 10 min", By = "server" },
    };
}
