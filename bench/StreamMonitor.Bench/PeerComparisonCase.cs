using System.Diagnostics;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench;

/// <summary>One timed pass over the whole input: how long, and what was read (for cross-checking with the peer).</summary>
public readonly record struct Measurement(double Seconds, long Frames, long Atoms, double Checksum);

public enum RateUnit
{
    /// <summary>Megabytes (10^6 bytes) of input per second.</summary>
    MegabytesPerSecond,

    /// <summary>Frames per second (atoms per second shown too).</summary>
    FramesPerSecond,
}

/// <summary>
/// A case that reads the same input with StreamMonitor (in this process, after warm-up passes) and with a peer
/// script (a fresh process per round), alternating us/peer for <see cref="BenchContext.Rounds"/> rounds, and reports
/// the ratio of median throughputs (ours / peer, above 1 means we are faster). It also checks that both sides saw
/// the same frames, atoms and coordinates (sum of x+y+z of the last frame).
/// </summary>
public abstract class PeerComparisonCase : IBenchCase
{
    private const int WarmupPasses = 2;

    public abstract string Name { get; }
    public abstract string Description { get; }
    public abstract IReadOnlyList<Tool> Requires { get; }

    /// <summary>File name under bench/peers/, run with /usr/bin/python3 and the input path.</summary>
    protected abstract string PeerScript { get; }

    protected abstract string PeerName { get; }

    /// <summary>What our timed pass includes, for the human line.</summary>
    protected abstract string OursIncludes { get; }

    /// <summary>What the peer's timed section includes, for the human line.</summary>
    protected abstract string PeerIncludes { get; }

    protected abstract RateUnit Unit { get; }

    /// <summary>Makes (if needed) and returns the input file.</summary>
    protected abstract string PrepareInput(BenchContext context);

    /// <summary>One whole pass over <paramref name="input"/> by StreamMonitor; only this is timed.</summary>
    protected abstract Measurement ReadOurs(string input);

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var input = PrepareInput(context);
        long bytes = new FileInfo(input).Length;

        var cold = TimeOurs(input);
        for (int i = 1; i < WarmupPasses; i++) TimeOurs(input);

        var ours = new List<Measurement>();
        var peer = new List<PeerRun>();
        for (int r = 0; r < context.Rounds; r++)
        {
            ours.Add(TimeOurs(input));
            peer.Add(context.RunPeer(PeerScript, input));
        }

        var last = ours[^1];
        var p = peer[^1];
        double oursRate = Median(ours.Select(m => Rate(bytes, m.Frames, m.Seconds)));
        double peerRate = Median(peer.Select(m => Rate(bytes, m.Frames, m.Seconds)));
        double ratio = oursRate / peerRate;

        var lines = new List<string>
        {
            $"{Name} ratio={F(ratio)}",
            $"  ours {Describe(oursRate, last.Atoms)}: {OursIncludes}; in-process after {WarmupPasses} warm-up passes (cold first pass {Describe(Rate(bytes, cold.Frames, cold.Seconds), cold.Atoms)})",
            $"  peer {Describe(peerRate, p.Atoms)}: {PeerName} {p.Version} {PeerIncludes} (open/offset scan {F(Median(peer.Select(x => x.OpenSeconds)) * 1000, 0)} ms of {F(Median(peer.Select(x => x.Seconds)) * 1000, 0)} ms)",
            $"  input {Path.GetFileName(input)}: {F(bytes / 1e6, 1)} MB, {last.Frames} frames x {last.Atoms} atoms; medians of {context.Rounds} alternating rounds (ours {Spread(ours.Select(m => m.Seconds))}, peer {Spread(peer.Select(m => m.Seconds))})",
        };
        var mismatch = Compare(last, p);
        if (mismatch is not null) lines.Add($"  WARNING: ours and {PeerName} disagree: {mismatch}");
        return lines;
    }

    private Measurement TimeOurs(string input)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return ReadOurs(input);
    }

    private double Rate(long bytes, long frames, double seconds) =>
        Unit == RateUnit.MegabytesPerSecond ? bytes / 1e6 / seconds : frames / seconds;

    private string Describe(double rate, long atoms) => Unit == RateUnit.MegabytesPerSecond
        ? $"{F(rate, 1)} MB/s"
        : $"{F(rate, 1)} frames/s ({F(rate * atoms / 1e6, 1)} M atoms/s)";

    private static string Spread(IEnumerable<double> seconds)
    {
        var s = seconds.ToArray();
        return $"{F(s.Min() * 1000, 0)}–{F(s.Max() * 1000, 0)} ms";
    }

    private static string? Compare(Measurement ours, PeerRun peer)
    {
        if (ours.Frames != peer.Frames) return $"{ours.Frames} frames vs {peer.Frames}";
        if (ours.Atoms != peer.Atoms) return $"{ours.Atoms} atoms vs {peer.Atoms}";
        double scale = Math.Max(1, Math.Abs(peer.Checksum));
        if (Math.Abs(ours.Checksum - peer.Checksum) > 1e-5 * scale)
            return $"sum of last frame's coordinates {ours.Checksum} vs {peer.Checksum}";
        return null;
    }

    /// <summary>Reads every frame of <paramref name="path"/> with <see cref="StreamMonitor.Ingest.TrajectoryReader"/>, disposing each.</summary>
    protected static Measurement ReadAllFrames(string path)
    {
        long start = Stopwatch.GetTimestamp();
        long frames = 0, atoms = 0;
        double checksum = 0;
        using (var reader = StreamMonitor.Ingest.TrajectoryReader.Open(path))
        {
            foreach (var frame in reader.ReadAll())
            {
                using (frame)
                {
                    frames++;
                    atoms = frame.AtomCount;
                    checksum = Sum(frame.X) + Sum(frame.Y) + Sum(frame.Z);
                }
            }
        }
        return new Measurement(Stopwatch.GetElapsedTime(start).TotalSeconds, frames, atoms, checksum);
    }

    private static double Sum(ReadOnlySpan<float> values)
    {
        double s = 0;
        foreach (var v in values) s += v;
        return s;
    }
}
