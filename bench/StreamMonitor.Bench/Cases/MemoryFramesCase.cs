using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// Peak working set of a process that reads a whole LAMMPS dump (108000 atoms) with TrajectoryReader, for a file of
/// 5 frames and one of 20 frames of the same run. Reading is streaming, so the peak should not grow with the
/// number of frames: ratio = peak(20) / peak(5), about 1 when it holds. Each read is its own process
/// (<c>StreamMonitor.Bench --child-read PATH</c>, default GC settings), alternating 5/20 for up to 3 rounds.
/// </summary>
public sealed class MemoryFramesCase : IBenchCase
{
    public string Name => "memory-frames";

    public string Description =>
        "peak working set of a process reading a 5-frame vs a 20-frame 108000-atom LAMMPS dump (ratio ~1 = flat)";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var small = context.Data("make-lammps.sh", "lj108k-xyz-5.dump");
        var large = context.Data("make-lammps.sh", "lj108k-xyz-20.dump");
        var peaks5 = new List<double>();
        var peaks20 = new List<double>();
        int rounds = Math.Min(context.Rounds, 3);
        for (int r = 0; r < rounds; r++)
        {
            peaks5.Add(ChildPeakMegabytes(small, 5));
            peaks20.Add(ChildPeakMegabytes(large, 20));
        }
        double p5 = Median(peaks5), p20 = Median(peaks20);
        double frameMb = 108000 * 5 * 4 / 1e6;
        return
        [
            $"{Name} peak_mb_5={F(p5, 1)} peak_mb_20={F(p20, 1)} ratio={F(p20 / p5, 3)}",
            $"  peak RSS (VmHWM) of a separate process running TrajectoryReader.Open + ReadAll (frames disposed): " +
            $"{F(p5, 1)} MB for 5 frames ({F(new FileInfo(small).Length / 1e6, 1)} MB file), {F(p20, 1)} MB for 20 frames " +
            $"({F(new FileInfo(large).Length / 1e6, 1)} MB file); ratio = peak20/peak5, ~1 means flat " +
            $"(one frame's arrays are ~{F(frameMb, 1)} MB); medians of {rounds} runs each",
        ];
    }

    private static double ChildPeakMegabytes(string path, int expectedFrames)
    {
        var what = $"child reader on {Path.GetFileName(path)}";
        var values = ChildProcess.Run(what, ["--child-read", path]);
        if (values.Get("frames", what) != expectedFrames.ToString())
            throw new BenchException($"{what} read {values["frames"]} frames, expected {expectedFrames}");
        return long.Parse(values.Get("peak_bytes", what)) / 1e6;
    }

    /// <summary>The child side: read the whole file, then print frames= and peak_bytes=.</summary>
    public static int ChildRead(string path)
    {
        long frames = 0;
        using (var reader = StreamMonitor.Ingest.TrajectoryReader.Open(path))
            foreach (var frame in reader.ReadAll())
                using (frame)
                    frames++;
        Console.WriteLine($"frames={frames} peak_bytes={ProcessMemory.PeakWorkingSetBytes()}");
        return 0;
    }
}
