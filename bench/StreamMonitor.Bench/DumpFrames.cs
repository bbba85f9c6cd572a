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
}
