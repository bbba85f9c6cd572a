using System.Diagnostics;

namespace StreamMonitor.Bench;

/// <summary>This process's memory, as the kernel and the garbage collector see it.</summary>
public static class ProcessMemory
{
    /// <summary>The high-water mark of resident memory (VmHWM); <see cref="Process.PeakWorkingSet64"/> where /proc is absent.</summary>
    public static long PeakWorkingSetBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1]) * 1024; // "VmHWM:\t  123 kB": a tab, then spaces only below 10 GB
        }
        catch (IOException)
        {
        }
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    /// <summary>
    /// The managed heap and the working set after full, compacting collections that also hand free memory back to the
    /// system: what the process's live objects and native allocations hold, without the garbage of the last burst.
    /// </summary>
    public static (long WorkingSetBytes, long HeapBytes) Settled()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        long heap = GC.GetTotalMemory(forceFullCollection: false);
        using var self = Process.GetCurrentProcess();
        return (self.WorkingSet64, heap);
    }
}
