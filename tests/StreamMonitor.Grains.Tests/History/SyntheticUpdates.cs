using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.Tests.History;

/// <summary>Made-up runs' updates for history tests that are about storage and sampling, not about frames.</summary>
internal static class SyntheticUpdates
{
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Updates <paramref name="from"/> to <paramref name="to"/> of a run: summaries of frame = sequence - 1, step 10 per
    /// frame, with an event every 50th sequence; their values vary smoothly with the frame.
    /// </summary>
    public static RunUpdate[] Range(string runId, long from, long to) =>
        Enumerable.Range(0, (int)(to - from + 1)).Select(i => Of(runId, from + i)).ToArray();

    public static RunUpdate Of(string runId, long sequence) => sequence % 50 == 0
        ? new RunUpdate
        {
            RunId = runId,
            Sequence = sequence,
            RecordedAt = Start.AddSeconds(sequence),
            Event = new RunEvent { RunId = runId, Kind = RunEventKinds.Nucleation, Frame = sequence - 1, Step = (sequence - 1) * 10, Message = $"event at {sequence}" },
        }
        : new RunUpdate { RunId = runId, Sequence = sequence, RecordedAt = Start.AddSeconds(sequence), Summary = Summary(runId, sequence - 1) };

    /// <summary>A summary of frame <paramref name="frame"/> whose quantities wander within narrow bands.</summary>
    public static FrameSummary Summary(string runId, long frame, int? nMax = null, double? meanQ6 = null)
    {
        int solid = 100 + (int)(20 * Math.Sin(frame / 37.0));
        return new FrameSummary
        {
            RunId = runId,
            Frame = frame,
            Step = frame * 10,
            Time = frame * 0.05,
            Model = "lj",
            Count = 500,
            ClassCounts = new Dictionary<string, int> { ["fcc"] = solid, ["liquid"] = 500 - solid },
            Undefined = 0,
            Crystalline = solid,
            CrystallineClasses = ["fcc"],
            DominantCrystal = "fcc",
            NMax = nMax ?? 40 + (int)(10 * Math.Sin(frame / 53.0)),
            MeanQ6 = meanQ6 ?? 0.30 + 0.02 * Math.Sin(frame / 29.0),
            LatencyMs = 5 + frame % 3,
        };
    }
}
