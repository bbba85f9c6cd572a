using System.Diagnostics;

namespace StreamMonitor.Bench;

/// <summary>
/// Trajectory files that grow as an engine writes them: one file per run in a folder, each frame appended in one write
/// and flush, the time stamped right after it. Cases that feed the live pipeline replay a real dump's frames into these.
/// </summary>
public sealed class GrowingDumps : IDisposable
{
    private readonly List<FileStream> _files = [];

    /// <param name="name">The files' names are <c>{name}-{i}.dump</c>.</param>
    /// <param name="copyOf">A dump each file starts as a copy of (the frames an engine wrote before); null: empty files.</param>
    public GrowingDumps(string directory, string name, int runs, string? copyOf = null)
    {
        Directory.CreateDirectory(directory);
        for (int i = 0; i < runs; i++)
        {
            var path = Path.Combine(directory, $"{name}-{i}.dump");
            if (copyOf is not null) File.Copy(copyOf, path);
            _files.Add(new FileStream(path, copyOf is null ? FileMode.CreateNew : FileMode.Append, FileAccess.Write,
                FileShare.ReadWrite | FileShare.Delete, bufferSize: 0));
        }
    }

    public int Count => _files.Count;

    public string PathOf(int run) => _files[run].Name;

    /// <summary>One write and flush, as an engine flushes a finished frame; the time right after it.</summary>
    public long Append(int run, byte[] frame)
    {
        _files[run].Write(frame);
        _files[run].Flush();
        return Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Frames <paramref name="from"/> to <paramref name="to"/> (exclusive) of every run, <paramref name="frame"/>(k) being
    /// frame k, on a dedicated thread (so a saturated thread pool cannot delay the writes): one frame per run per
    /// <paramref name="period"/>, run i of n offset by i/n of a period. Stamps each write in <c>written[run, k]</c>;
    /// returns the writer's largest lag behind its schedule, in ms.
    /// </summary>
    public Task<double> WriteScheduledAsync(Func<int, byte[]> frame, int from, int to, TimeSpan period, long[,] written, string threadName)
    {
        var done = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                long start = Stopwatch.GetTimestamp();
                double lag = 0;
                for (int k = from; k < to; k++)
                    for (int i = 0; i < Count; i++)
                    {
                        var due = (k - from) * period + i * period / Count;
                        var wait = due - Stopwatch.GetElapsedTime(start);
                        if (wait > TimeSpan.Zero) Thread.Sleep(wait);
                        else lag = Math.Max(lag, -wait.TotalMilliseconds);
                        written[i, k] = Append(i, frame(k));
                    }
                done.SetResult(lag);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { IsBackground = true, Name = threadName };
        thread.Start();
        return done.Task;
    }

    public void Dispose()
    {
        foreach (var f in _files) f.Dispose();
    }
}
