using Xunit;

namespace StreamMonitor.TestSupport;

/// <summary>
/// A fact that runs GROMACS <c>mdrun</c> live. Debian's gmx is built to use the rdtscp instruction and every mdrun stops
/// at start on a CPU without it (some virtual machines), so there the test is reported as skipped, with the reason,
/// instead of failing for the machine.
/// </summary>
public sealed class MdrunFactAttribute : FactAttribute
{
    public MdrunFactAttribute()
    {
        if (!CpuHasRdtscp.Value)
            Skip = "this CPU lacks the rdtscp instruction, which Debian's gmx mdrun requires (grep -w rdtscp /proc/cpuinfo finds nothing)";
    }

    private static readonly Lazy<bool> CpuHasRdtscp = new(() =>
    {
        // Only Linux says; elsewhere the test runs and mdrun gives its own reason if it cannot.
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo)) return true;
        return File.ReadLines(cpuinfo).Any(line => line.StartsWith("flags", StringComparison.Ordinal) &&
            line.Split([' ', '\t', ':'], StringSplitOptions.RemoveEmptyEntries).Contains("rdtscp"));
    });
}
