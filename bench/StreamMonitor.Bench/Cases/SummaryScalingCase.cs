using System.Diagnostics;
using System.Globalization;
using System.Text;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Ingest;
using StreamMonitor.Monitoring.Pipeline;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// Whether the cost of a frame grows with its atoms and nothing else: the last frame of the 10976-atom LJ quench tiled
/// n × n × n (n = 1, 2, 4, 6, 10: 10976 to 10976000 atoms; the same structure, so the work per atom is the same), each
/// read and summarised (the default model and settings, as a run's pipeline does) in a process of its own after a
/// warm-up on the untiled frame. Prints per size the parse and summary seconds, µs per atom and the peak resident
/// memory, then how the per-atom time and memory of the largest compare with the 702464-atom frame's.
/// </summary>
public sealed class SummaryScalingCase : IBenchCase
{
    private const string CaseName = "summary-scaling";
    private static readonly int[] Tilings = [1, 2, 4, 6, 10];
    // Sizes below this are summarised several times and the median kept; a single pass of a larger one is long enough.
    private const int RepeatBelowAtoms = 200_000;
    private const int ReferenceAtoms = 500_000;

    public string Name => CaseName;

    public string Description => "time and memory of one frame's summary against its size: the 10976-atom LJ frame tiled up to 10976000 atoms, µs/atom and peak MB";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var source = context.Data("make-live.sh", "lj11k-quench-24.dump");
        var frames = DumpFrames.Split(File.ReadAllBytes(source));
        var last = frames[^1];
        string loadBefore = BenchContext.MachineLoad();
        var rows = new List<(long Atoms, double Parse, double Summarize, double PeakMb)>();
        var lines = new List<string>();
        foreach (int n in Tilings)
        {
            string tiled = Path.Combine(context.DataDir, $"lj11k-tiled-{n}.dump");
            if (!File.Exists(tiled))
            {
                Console.Error.WriteLine($"[{CaseName}] writing the frame tiled {n}x{n}x{n}");
                WriteTiled(last, n, tiled);
            }
            Console.Error.WriteLine($"[{CaseName}] {n}x{n}x{n}: summarising in a process of its own");
            var values = ChildProcess.Run($"{CaseName} child on {tiled}", ["--summary-scaling-child", source, tiled], echoStderr: true);
            long atoms = long.Parse(values.Get("atoms", CaseName), CultureInfo.InvariantCulture);
            double parse = double.Parse(values.Get("parse_s", CaseName), CultureInfo.InvariantCulture);
            double summarize = double.Parse(values.Get("summarize_s", CaseName), CultureInfo.InvariantCulture);
            double peak = double.Parse(values.Get("peak_mb", CaseName), CultureInfo.InvariantCulture);
            rows.Add((atoms, parse, summarize, peak));
            lines.Add($"{CaseName} atoms={atoms} parse_s={F(parse, 3)} summarize_s={F(summarize, 3)} us_per_atom={F(summarize / atoms * 1e6, 3)} " +
                      $"atoms_per_s={F(atoms / summarize, 0)} peak_mb={F(peak, 0)} kb_per_atom={F(peak * 1e3 / atoms, 2)}");
        }
        if (rows.Count >= 2)
        {
            // The smallest frame whose fixed cost (the process, the model: ~0.5 GB) no longer dominates its memory.
            var reference = rows.FirstOrDefault(r => r.Atoms >= ReferenceAtoms, rows[0]);
            var largest = rows[^1];
            lines.Add($"  {CaseName} time_per_atom_ratio={F(largest.Summarize / largest.Atoms / (reference.Summarize / reference.Atoms), 2)} " +
                      $"memory_per_atom_ratio={F(largest.PeakMb / largest.Atoms / (reference.PeakMb / reference.Atoms), 2)} " +
                      $"({largest.Atoms} atoms against {reference.Atoms}; 1 = linear)");
        }
        lines.Add("  each size: the last frame of the lmp LJ quench (in.lj-quench cells=14) tiled n x n x n, read with TrajectoryReader and summarised by " +
                  "FrameSummarizer built as a run's pipeline builds it (model lj, default settings: features, classification, clusters, surface/core, " +
                  $"census), on every core, in a process of its own after summarising the untiled frame twice; below {RepeatBelowAtoms} atoms the median of 5 passes; " +
                  "peak = the process's VmHWM (its start-up and the model included)");
        lines.Add($"  shared machine: {loadBefore} before, {BenchContext.MachineLoad()} after");
        return lines;
    }

    /// <summary>The child: warm up on <paramref name="warmUp"/>, then read and summarise the one frame of <paramref name="path"/>.</summary>
    public static int Child(string warmUp, string path)
    {
        LiveWarmUp.SummarizeTwice(warmUp, CaseName);
        var models = new SharedModels();
        try
        {
            var summarizer = models.CreateSummarizer(RunConfig.DefaultModel, SummarizerOptions.From(new SummarySettings()));
            var parse = new List<double>();
            var summarize = new List<double>();
            int atoms = 0;
            do
            {
                long start = Stopwatch.GetTimestamp();
                using var reader = TrajectoryReader.Open(path);
                using var frame = reader.Read() ?? throw new BenchException($"{path} has no frame");
                parse.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                start = Stopwatch.GetTimestamp();
                summarizer.SummarizeAsync(CaseName, frame).AsTask().GetAwaiter().GetResult();
                summarize.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                atoms = frame.AtomCount;
            } while (atoms < RepeatBelowAtoms && summarize.Count < 5);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"atoms={atoms} parse_s={Median(parse)} summarize_s={Median(summarize)} peak_mb={ProcessMemory.PeakWorkingSetBytes() / 1e6}"));
            return 0;
        }
        catch (BenchException e)
        {
            Console.Error.WriteLine($"[{CaseName}] {e.Message}");
            return 1;
        }
        finally
        {
            models.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Writes one frame of an orthogonal <c>id type x y z</c> dump repeated n times along each axis.</summary>
    private static void WriteTiled(byte[] frame, int n, string path)
    {
        var lines = Encoding.ASCII.GetString(frame).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int atomsAt = Array.FindIndex(lines, l => l.StartsWith("ITEM: ATOMS", StringComparison.Ordinal));
        if (lines[atomsAt].Trim() != "ITEM: ATOMS id type x y z" || !lines[4].StartsWith("ITEM: BOX BOUNDS pp pp pp", StringComparison.Ordinal))
            throw new BenchException($"tiling expects an orthogonal 'id type x y z' dump, got '{lines[4]}' / '{lines[atomsAt]}'");
        var low = new double[3];
        var length = new double[3];
        for (int d = 0; d < 3; d++)
        {
            var bounds = lines[5 + d].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            low[d] = bounds[0];
            length[d] = bounds[1] - bounds[0];
        }
        var atoms = lines.Skip(atomsAt + 1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        string tmp = path + ".tmp";
        using (var writer = new StreamWriter(tmp, false, new UTF8Encoding(false), 1 << 20))
        {
            long count = (long)atoms.Length * n * n * n;
            writer.Write($"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n{count}\nITEM: BOX BOUNDS pp pp pp\n");
            for (int d = 0; d < 3; d++)
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{low[d]:R} {low[d] + n * length[d]:R}\n"));
            writer.Write("ITEM: ATOMS id type x y z\n");
            long id = 1;
            for (int a = 0; a < n; a++)
                for (int b = 0; b < n; b++)
                    for (int c = 0; c < n; c++)
                        foreach (var atom in atoms)
                        {
                            double x = double.Parse(atom[2], CultureInfo.InvariantCulture) + a * length[0];
                            double y = double.Parse(atom[3], CultureInfo.InvariantCulture) + b * length[1];
                            double z = double.Parse(atom[4], CultureInfo.InvariantCulture) + c * length[2];
                            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{id++} {atom[1]} {x:0.#####} {y:0.#####} {z:0.#####}\n"));
                        }
        }
        File.Move(tmp, path, overwrite: true);
    }
}
