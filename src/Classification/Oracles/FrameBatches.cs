using StreamMonitor.Core;
using StreamMonitor.Ingest;

namespace StreamMonitor.Classification.Oracles;

/// <summary>
/// Chosen frames of a trajectory in batches, so an oracle that starts an external program per call starts it once per
/// batch. Each batch's frames are disposed when the next batch is asked for.
/// </summary>
public static class FrameBatches
{
    /// <param name="first">First frame (0-based).</param>
    /// <param name="end">Frame index to stop before, or null for the whole file.</param>
    /// <param name="every">Take every n-th frame from <paramref name="first"/> on.</param>
    /// <param name="size">Frames per batch.</param>
    public static IEnumerable<IReadOnlyList<Frame>> Read(TrajectoryReader reader, long first, long? end, int every, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var batch = new List<Frame>(size);
        try
        {
            foreach (var frame in reader.ReadAll())
            {
                if (end is { } stop && frame.Index >= stop)
                {
                    frame.Dispose();
                    break;
                }
                if (frame.Index < first || (frame.Index - first) % every != 0)
                {
                    frame.Dispose();
                    continue;
                }
                batch.Add(frame);
                if (batch.Count < size) continue;
                yield return batch;
                Release(batch);
            }
            if (batch.Count > 0) yield return batch;
        }
        finally
        {
            Release(batch);
        }
    }

    private static void Release(List<Frame> batch)
    {
        foreach (var frame in batch) frame.Dispose();
        batch.Clear();
    }
}
