using System.Diagnostics;
using System.Globalization;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.OrderParameters;
using StreamMonitor.Ingest;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// Steinhardt q4 and q6 over the 12 nearest neighbours of every atom of a 108000-atom LJ liquid dump (10 frames), in
/// atom-frames per second, from the file on disk to the order parameters. Ours: <c>TrajectoryReader</c> + cell-list
/// <c>Nearest(12, 1.8)</c> + <see cref="Steinhardt"/>, in this process after warm-up passes, once on one core and once
/// on every core. Peer: LAMMPS <c>rerun</c> of the same dump with <c>compute orientorder/atom degrees 2 4 6 nnn 12 cutoff
/// 1.8</c>, one serial process per round (OMP_NUM_THREADS=1), timed as a whole process. The cutoff is the smallest
/// tenth at which every atom of every frame has 12 neighbours, so neither side computes an incomplete shell.
/// </summary>
public sealed class SteinhardtCase : IBenchCase
{
    private const double Cutoff = 1.8;
    private const int WarmupPasses = 1; // the hot loops are compiled fully optimised from the start

    public string Name => "steinhardt";

    public string Description =>
        "Steinhardt q4/q6 (12 nearest) on a 108000-atom LJ dump, read + neighbours + compute, 1 core and 2 cores vs LAMMPS orientorder/atom (rerun, 1 core)";

    public IReadOnlyList<Tool> Requires => [Tools.Lammps];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var input = context.Data("make-lammps.sh", "lj108k-xyz-10.dump");
        var script = WritePeerInput(context, input);
        var oneCore = new Steinhardt([4, 6], maxDegreeOfParallelism: 1);
        var allCores = new Steinhardt([4, 6]);

        for (int w = 0; w < WarmupPasses; w++)
        {
            OnOneCore(() => Ours(input, oneCore));
            Ours(input, allCores);
        }
        int rounds = Math.Min(context.Rounds, 3); // a LAMMPS round takes several seconds
        var serial = new List<Pass>();
        var parallel = new List<Pass>();
        var peer = new List<double>();
        var log = Path.Combine(Path.GetTempPath(), $"streammonitor-bench-steinhardt-{Environment.ProcessId}.log");
        (double Q4, double Q6)? check;
        try
        {
            for (int r = 0; r < rounds; r++)
            {
                serial.Add(OnOneCore(() => Ours(input, oneCore)));
                parallel.Add(Ours(input, allCores));
                // The last round keeps LAMMPS' log (a dozen thermo lines) to check both sides computed the same.
                peer.Add(Peer(script, log: r == rounds - 1 ? log : null));
            }
            check = PeerMeans(log);
        }
        finally
        {
            File.Delete(log);
        }

        var last = serial[^1];
        long atomFrames = last.Frames * last.Atoms;
        double rate1 = atomFrames / Median(serial.Select(p => p.Seconds));
        double rate2 = atomFrames / Median(parallel.Select(p => p.Seconds));
        double ratePeer = atomFrames / Median(peer);
        var lines = new List<string>
        {
            $"{Name} ratio={F(rate1 / ratePeer)}",
            $"  ours 1 core {F(rate1 / 1e3, 0)}k atom-frames/s (cpu/wall {F(Median(serial.Select(p => p.CpuPerWall)))}): TrajectoryReader parse + NeighborQuery.Nearest(12, {Cutoff}) + " +
            "Steinhardt q4,q6 (maxDegreeOfParallelism 1), in-process after warm-up, every thread of the process pinned to one CPU",
            $"  ours {Environment.ProcessorCount} cores {F(rate2 / 1e3, 0)}k atom-frames/s (cpu/wall {F(Median(parallel.Select(p => p.CpuPerWall)))}): the same, default parallelism",
            $"  peer {F(ratePeer / 1e3, 0)}k atom-frames/s: lmp (LAMMPS {LammpsVersion()}) -in <rerun script> -log none -screen none, 1 process, 1 core, timed " +
            $"as a whole: start-up, parsing the dump text, binned full neighbour list (cutoff {Cutoff} + skin 0.3), orientorder/atom degrees 2 4 6 nnn 12 cutoff {Cutoff}, a per-frame thermo reduce",
            $"  input {Path.GetFileName(input)}: {F(new FileInfo(input).Length / 1e6, 1)} MB, {last.Frames} frames x {last.Atoms} atoms; medians of {rounds} alternating rounds " +
            $"(1 core {Spread(serial.Select(p => p.Seconds))}, {Environment.ProcessorCount} cores {Spread(parallel.Select(p => p.Seconds))}, peer {Spread(peer)})",
        };
        if (last.Undefined > 0) lines.Add($"  WARNING: {last.Undefined} atoms had fewer than 12 neighbours within {Cutoff}");
        if (check is { } means && (Math.Abs(means.Q4 - last.MeanQ4) > 1e-6 || Math.Abs(means.Q6 - last.MeanQ6) > 1e-6))
            lines.Add($"  WARNING: last frame's mean q4/q6 {last.MeanQ4:F8}/{last.MeanQ6:F8}, LAMMPS {means.Q4:F8}/{means.Q6:F8}");
        else if (check is null) lines.Add("  WARNING: no thermo table in LAMMPS' log to check against");
        else if (check is { } ok)
            lines.Add($"  check: last frame's mean q4 {last.MeanQ4:F8} q6 {last.MeanQ6:F8}, LAMMPS {ok.Q4:F8} {ok.Q6:F8}");
        lines.Add($"{Name}-{Environment.ProcessorCount}cores ratio={F(rate2 / ratePeer)}");
        return lines;
    }

    private readonly record struct Pass(double Seconds, double CpuPerWall, long Frames, long Atoms, int Undefined, double MeanQ4, double MeanQ6);

    /// <summary>One timed pass: read every frame, find the 12 nearest within the cutoff, compute q4 and q6.</summary>
    private static Pass Ours(string input, Steinhardt steinhardt)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        long frames = 0, atoms = 0;
        int undefined = 0;
        double q4 = 0, q6 = 0;
        using (var reader = TrajectoryReader.Open(input))
        {
            foreach (var frame in reader.ReadAll())
            {
                using (frame)
                {
                    var neighbors = NeighborQuery.FromFrame(frame, Cutoff).Nearest(12, Cutoff);
                    var result = steinhardt.Compute(neighbors);
                    frames++;
                    atoms = frame.AtomCount;
                    undefined = frame.AtomCount - result.DefinedCount;
                    q4 = Mean(result.Ql(4));
                    q6 = Mean(result.Ql(6));
                }
            }
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        self.Refresh();
        double cpuSeconds = (self.TotalProcessorTime - cpu).TotalSeconds;
        return new Pass(seconds, cpuSeconds / seconds, frames, atoms, undefined, q4, q6);
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values) sum += v;
        return sum / values.Length;
    }

    /// <summary>
    /// Runs <paramref name="pass"/> with every thread of this process pinned to one CPU (Linux <c>sched_setaffinity</c> on
    /// each thread of /proc/self/task; threads started meanwhile inherit it), then restores the previous affinity. The
    /// thread pool still believes it has every core, so Parallel.For splits the neighbour search into chunks, but they
    /// time-share that one CPU: what is measured is one core's throughput, as for the serial LAMMPS process.
    /// </summary>
    private static Pass OnOneCore(Func<Pass> pass)
    {
        if (!OperatingSystem.IsLinux()) throw new BenchException("the 1-core measurement pins threads with Linux sched_setaffinity");
        ulong previous = 0;
        if (SchedGetAffinity(0, sizeof(ulong), ref previous) != 0 || previous == 0)
            throw new BenchException("sched_getaffinity failed");
        ulong one = previous & ~(previous - 1); // the lowest CPU this process may use
        SetAllThreads(one);
        try
        {
            return pass();
        }
        finally
        {
            SetAllThreads(previous);
        }
    }

    private static void SetAllThreads(ulong mask)
    {
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
            if (int.TryParse(Path.GetFileName(task), out int tid))
                SchedSetAffinity(tid, sizeof(ulong), ref mask); // a thread that exited meanwhile fails harmlessly
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static extern int SchedSetAffinity(int pid, nint size, ref ulong mask);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static extern int SchedGetAffinity(int pid, nint size, ref ulong mask);

    /// <summary>The LAMMPS rerun input, written beside the data (the dump path is absolute).</summary>
    private static string WritePeerInput(BenchContext context, string input)
    {
        var script = Path.Combine(context.DataDir, "in.steinhardt-rerun");
        var inv = CultureInfo.InvariantCulture;
        File.WriteAllText(script, string.Create(inv, $"""
            # StreamMonitor bench: LAMMPS q4/q6 of the 12 nearest neighbours of every atom of every frame of a dump.
            units lj
            atom_style atomic
            region box block 0 1 0 1 0 1
            create_box 1 box
            mass 1 1.0
            pair_style zero {Cutoff}
            pair_coeff * *
            compute q all orientorder/atom degrees 2 4 6 nnn 12 cutoff {Cutoff}
            compute mean all reduce ave c_q[1] c_q[2]
            thermo_style custom step c_mean[1] c_mean[2]
            thermo_modify format float %.10f
            thermo 1
            rerun {input} dump x y z box yes add yes

            """));
        return script;
    }

    /// <summary>Seconds of one whole lmp process.</summary>
    private static double Peer(string script, string? log)
    {
        var info = new ProcessStartInfo("lmp") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(script) };
        foreach (var a in new[] { "-in", script, "-log", log ?? "none", "-screen", "none" }) info.ArgumentList.Add(a);
        info.Environment["OMP_NUM_THREADS"] = "1";
        long start = Stopwatch.GetTimestamp();
        using var p = Process.Start(info) ?? throw new BenchException("could not start lmp");
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (p.ExitCode != 0) throw new BenchException($"lmp failed (exit {p.ExitCode}): {stderr.Result.Trim()}");
        return seconds;
    }

    /// <summary>LAMMPS' mean q4 and q6 of the last frame, from the thermo table of a run's log.</summary>
    private static (double Q4, double Q6)? PeerMeans(string log)
    {
        (double, double)? last = null;
        bool table = false;
        foreach (var line in File.ReadLines(log))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 3 && f[0] == "Step") table = true;
            else if (table && f.Length == 3 && long.TryParse(f[0], out _))
                last = (double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture));
            else table = false;
        }
        return last;
    }

    private static string LammpsVersion()
    {
        try
        {
            var r = BenchContext.Run("lmp", ["-h"]);
            var line = r.Stdout.Split('\n').FirstOrDefault(l => l.Contains("Large-scale Atomic/Molecular", StringComparison.Ordinal));
            return line is null ? "?" : line[(line.IndexOf(" - ", StringComparison.Ordinal) + 3)..].Trim();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }

    private static string Spread(IEnumerable<double> seconds)
    {
        var s = seconds.ToArray();
        return $"{F(s.Min(), 2)}–{F(s.Max(), 2)} s";
    }
}
