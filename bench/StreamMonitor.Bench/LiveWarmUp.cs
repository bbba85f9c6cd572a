using StreamMonitor.Contracts.Grains;
using StreamMonitor.Ingest;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Bench;

/// <summary>Compiles the live pipeline's per-frame code before a case times it.</summary>
public static class LiveWarmUp
{
    /// <summary>
    /// Parses and summarises the frames of <paramref name="source"/> in process, twice, so the code every measurement
    /// shares is compiled to its final tier before the first one (which would otherwise pay for it alone: with one run, a
    /// per-frame method needs dozens of frames to be recompiled). Returns the atom count.
    /// </summary>
    public static int SummarizeTwice(string source, string caseName) => Summarize(source, caseName, passes: 2).Atoms;

    /// <summary>Parses and summarises the frames of <paramref name="source"/> in process, <paramref name="passes"/> times; the last pass's summaries.</summary>
    public static (int Atoms, List<FrameSummary> Summaries) Summarize(string source, string caseName, int passes)
    {
        Console.Error.WriteLine($"[{caseName}] warming up: parse + summarize every frame {passes switch { 1 => "once", 2 => "twice", _ => $"{passes} times" }} in process");
        var models = new SharedModels();
        try
        {
            var summarizer = models.CreateSummarizer(RunConfig.DefaultModel, SummarizerOptions.From(new SummarySettings()));
            int atoms = 0;
            var summaries = new List<FrameSummary>();
            for (int pass = 0; pass < passes; pass++)
            {
                summaries.Clear();
                using var reader = TrajectoryReader.Open(source);
                foreach (var frame in reader.ReadAll())
                    using (frame)
                    {
                        summaries.Add(summarizer.SummarizeAsync(caseName, frame).AsTask().GetAwaiter().GetResult());
                        atoms = frame.AtomCount;
                    }
            }
            return (atoms, summaries);
        }
        finally
        {
            models.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
