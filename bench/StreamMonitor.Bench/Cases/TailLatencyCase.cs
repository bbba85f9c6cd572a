using System.Diagnostics;
using StreamMonitor.Ingest.Tailing;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// Time from a frame's last byte written to the frame delivered by <see cref="TrajectoryTailer"/> with default
/// options (Follow on). A writer thread appends the frames of a real 4000-atom LAMMPS dump to a new file, each
/// frame in a few chunks with short pauses (as a buffered engine flushes), and stamps the time right after the
/// frame's final write+flush; the consumer stamps the time it receives the frame from the channel. No peer.
/// </summary>
public sealed class TailLatencyCase : IBenchCase
{
    private const int WarmupFrames = 5;
    private const int Chunks = 3;
    private static readonly TimeSpan ChunkPause = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan FrameGap = TimeSpan.FromMilliseconds(40);
    private const double TargetMs = 20;

    public string Name => "tail-latency";

    public string Description =>
        "last byte of a frame written -> frame delivered by TrajectoryTailer (default options), 4000-atom LAMMPS dump, ms";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var source = context.Data("make-lammps.sh", "lj4k-xyz-60.dump");
        var frames = DumpFrames.Split(File.ReadAllBytes(source));
        var dir = Path.Combine(context.DataDir, "tail-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            var (latencies, delivered) = Measure(frames, Path.Combine(dir, "growing.dump"));
            var measured = latencies.Skip(WarmupFrames).ToArray();
            double median = Median(measured), p95 = Percentile(measured, 95);
            var lines = new List<string>
            {
                $"{Name} median_ms={F(median)}",
                $"  median {F(median)} ms, p95 {F(p95)} ms, max {F(measured.Max())} ms over {measured.Length} frames " +
                $"(after {WarmupFrames} warm-up frames; target median < {TargetMs} ms): TrajectoryTailer.Start(path, new TailOptions {{ Follow = true }}) " +
                $"read from tailer.Items; 4000-atom frames ({F(frames.Average(f => f.Length) / 1e3, 0)} kB) written in {Chunks} chunks " +
                $"{ChunkPause.TotalMilliseconds} ms apart, {FrameGap.TotalMilliseconds} ms between frames",
            };
            if (delivered != frames.Count) lines.Add($"  WARNING: {delivered} of {frames.Count} frames delivered");
            return lines;
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static (double[] LatenciesMs, int Delivered) Measure(List<byte[]> frames, string path)
    {
        var written = new long[frames.Count];
        var received = new long[frames.Count];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var tailer = TrajectoryTailer.Start(path, new TailOptions { Follow = true }, cancellationToken: cts.Token);

        int delivered = 0;
        var consumer = Task.Run(async () =>
        {
            await foreach (var item in tailer.Items.ReadAllAsync(cts.Token))
            {
                long now = Stopwatch.GetTimestamp();
                if (item.Frame is not { } frame)
                {
                    Console.Error.WriteLine($"[tail-latency] event: {item.Event}");
                    continue;
                }
                using (frame)
                {
                    if (frame.Index < received.Length) received[frame.Index] = now;
                }
                if (++delivered == frames.Count) return;
            }
        });

        var writer = new Thread(() =>
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete,
                bufferSize: 0);
            for (int i = 0; i < frames.Count; i++)
            {
                var bytes = frames[i];
                int chunk = (bytes.Length + Chunks - 1) / Chunks;
                for (int at = 0; at < bytes.Length; at += chunk)
                {
                    if (at > 0) Thread.Sleep(ChunkPause);
                    stream.Write(bytes, at, Math.Min(chunk, bytes.Length - at));
                    stream.Flush();
                }
                written[i] = Stopwatch.GetTimestamp();
                Thread.Sleep(FrameGap);
            }
        }) { IsBackground = true, Name = "dump writer" };
        writer.Start();
        writer.Join();
        try
        {
            if (!consumer.Wait(TimeSpan.FromSeconds(10)))
                throw new BenchException($"tailer delivered {delivered} of {frames.Count} frames within 10 s of the last write");
        }
        finally
        {
            cts.Cancel();
            try { tailer.Completion.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        }
        var latencies = new double[frames.Count];
        for (int i = 0; i < frames.Count; i++)
            latencies[i] = received[i] == 0 ? double.NaN : Stopwatch.GetElapsedTime(written[i], received[i]).TotalMilliseconds;
        return (latencies, delivered);
    }
}
