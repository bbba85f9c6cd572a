using System.Text;

namespace StreamMonitor.Bench;

/// <summary>The frames of a LAMMPS text dump as raw bytes, for cases that replay a real dump as a growing file.</summary>
public static class DumpFrames
{
    /// <summary>Each frame's bytes (a frame starts at a line "ITEM: TIMESTEP").</summary>
    public static List<byte[]> Split(byte[] dump)
    {
        var starts = new List<int>();
        var marker = "ITEM: TIMESTEP"u8;
        for (int at = 0; at < dump.Length;)
        {
            if ((at == 0 || dump[at - 1] == (byte)'\n') && dump.AsSpan(at).StartsWith(marker)) starts.Add(at);
            int nl = dump.AsSpan(at).IndexOf((byte)'\n');
            if (nl < 0) break;
            at += nl + 1;
        }
        starts.Add(dump.Length);
        return [.. starts.Zip(starts.Skip(1), (a, b) => dump[a..b])];
    }

    /// <summary>
    /// How many frames a dump on disk holds and how many atoms its first frame has, read line by line (a dump too large
    /// to hold in memory at once is fine).
    /// </summary>
    public static (int Frames, int Atoms) Shape(string path)
    {
        int frames = 0, atoms = -1;
        bool atomsNext = false;
        foreach (var line in File.ReadLines(path))
        {
            if (atomsNext && !int.TryParse(line, out atoms)) throw new BenchException($"{path}: '{line}' after 'ITEM: NUMBER OF ATOMS' is not a count");
            atomsNext = atoms < 0 && line.StartsWith("ITEM: NUMBER OF ATOMS", StringComparison.Ordinal);
            if (line.StartsWith("ITEM: TIMESTEP", StringComparison.Ordinal)) frames++;
        }
        if (frames == 0 || atoms < 0) throw new BenchException($"{path} has no complete LAMMPS dump frame; delete it to regenerate");
        return (frames, atoms);
    }

    /// <summary>
    /// Frame <paramref name="k"/> of <paramref name="frames"/> played over and over: each pass after the first has its
    /// timesteps moved on by the span of the dump (plus one interval between frames), so a run's time never goes back
    /// (which the pipeline would take for a restart).
    /// </summary>
    public static byte[] Replay(List<byte[]> frames, int k)
    {
        int pass = k / frames.Count;
        var frame = frames[k % frames.Count];
        if (pass == 0) return frame;
        long first = Timestep(frames[0]), interval = frames.Count > 1 ? Timestep(frames[1]) - first : 1;
        long span = Timestep(frames[^1]) - first + interval;
        var (start, length) = TimestepField(frame);
        var step = Encoding.ASCII.GetBytes((long.Parse(frame.AsSpan(start, length)) + pass * span).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return [.. frame.AsSpan(0, start), .. step, .. frame.AsSpan(start + length)];
    }

    private static long Timestep(byte[] frame)
    {
        var (start, length) = TimestepField(frame);
        return long.Parse(frame.AsSpan(start, length));
    }

    /// <summary>Where the number on the line after "ITEM: TIMESTEP" is.</summary>
    private static (int Start, int Length) TimestepField(byte[] frame)
    {
        int start = frame.AsSpan().IndexOf((byte)'\n') + 1;
        int length = start > 0 ? frame.AsSpan(start).IndexOf((byte)'\n') : -1;
        if (length <= 0) throw new BenchException("a dump frame has no timestep line after 'ITEM: TIMESTEP'");
        return (start, length);
    }
}
