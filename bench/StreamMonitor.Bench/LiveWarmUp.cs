using StreamMonitor.Contracts.Grains;
using StreamMonitor.Ingest;
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
    public static int SummarizeTwice(string source, string caseName)
    {
        Console.Error.WriteLine($"[{caseName}] warming up: parse + summarize every frame twice in process");
        var models = new SharedModels();
        try
        {
            var summarizer = models.CreateSummarizer(RunConfig.DefaultModel, SummarizerOptions.From(new SummarySettings()));
            int atoms = 0;
            for (int pass = 0; pass < 2; pass++)
            {
                using var reader = TrajectoryReader.Open(source);
                foreach (var frame in reader.ReadAll())
                    using (frame)
                    {
                        summarizer.SummarizeAsync("warm-up", frame).AsTask().GetAwaiter().GetResult();
                        atoms = frame.AtomCount;
                    }
            }
            return atoms;
        }
        finally
        {
            models.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
