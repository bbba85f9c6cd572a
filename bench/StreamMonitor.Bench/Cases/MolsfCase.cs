using System.Diagnostics;
using System.Globalization;
using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Core;
using StreamMonitor.Ingest;
using static StreamMonitor.Bench.Stats;

namespace StreamMonitor.Bench.Cases;

/// <summary>
/// Molecular symmetry functions (urea preset, 24 features, r_max 10 Å) in molecules per second, in this process on
/// every core: the 432-molecule form I crystal of <c>data/molstrucclassifier</c> and a 10× larger box (5 × 2 × 1 copies, 4320
/// molecules) replicated in code. Timed: <c>MolecularSymmetryFunctions.Compute(frame)</c> — molecules from the mol
/// column, roles, the neighbour search on the centers, the features — on a frame already in memory; medians over
/// <see cref="BenchContext.Rounds"/> alternating rounds of at least 0.3 s each.
/// </summary>
/// <remarks>
/// Optional peer: with <c>STREAMMONITOR_MOLSF_REFERENCE</c> set to the reference program's sources
/// (rogalj/MolStrucClassifier <c>molvec_lib/ver2.0</c>, fetched by hand: the bench never goes to the network) and
/// <c>g++</c> on the PATH, the program is built once into the data cache and run on the same two inputs (as dumps with a
/// <c>sym_type</c> column); ratio = our molecules/s over its molecules/s, both from the file on disk to the features
/// (ours: read + compute; its: the whole process). Without it the line says the peer was skipped.
/// </remarks>
public sealed class MolsfCase : IBenchCase
{
    private const string ReferenceVariable = "STREAMMONITOR_MOLSF_REFERENCE";

    public string Name => "molsf-urea";

    public string Description =>
        "molecular symmetry functions (urea preset) in molecules/s: 432-molecule crystal and a 10x box (optional peer: the reference program, " + ReferenceVariable + ")";

    public IReadOnlyList<Tool> Requires => [];

    public IReadOnlyList<string> Run(BenchContext context)
    {
        var input = Path.GetFullPath(Path.Combine(context.BenchDir, "..", "data", "molstrucclassifier", "urea", "form-I-3456atoms.dump"));
        if (!File.Exists(input)) throw new BenchException($"{input} not found (data/molstrucclassifier of the repository)");
        var compute = new MolecularSymmetryFunctions(MolecularSymmetryFunctionParameters.Urea);
        using var small = ReadFirst(input);
        using var large = Supercell.Of(small, 5, 2, 1);
        int molecules = compute.Compute(small).Count, largeMolecules = compute.Compute(large).Count;

        var smallRates = new List<double>();
        var largeRates = new List<double>();
        for (int w = 0; w < 3; w++) // warm-up: tiered JIT, thread pool
        {
            compute.Compute(small);
            compute.Compute(large);
        }
        for (int r = 0; r < context.Rounds; r++)
        {
            smallRates.Add(Rate(() => compute.Compute(small), molecules));
            largeRates.Add(Rate(() => compute.Compute(large), largeMolecules));
        }
        double ours = Median(smallRates), oursLarge = Median(largeRates);
        var lines = new List<string>
        {
            $"{Name} molecules_per_s={F(ours, 0)} {Name}-10x molecules_per_s={F(oursLarge, 0)}",
            $"  ours: Compute(frame) on a frame in memory, {Environment.ProcessorCount} cores; {molecules} molecules {F(1000 * molecules / ours, 2)} ms/frame " +
            $"({Range(smallRates)}), {largeMolecules} molecules {F(1000 * largeMolecules / oursLarge, 2)} ms/frame ({Range(largeRates)}); medians of {context.Rounds} rounds",
        };
        lines.AddRange(Reference(context, input, large, compute));
        return lines;
    }

    private static string Range(List<double> rates) => $"{F(rates.Min(), 0)}–{F(rates.Max(), 0)} molecules/s";

    /// <summary>The comparison with the reference program, or a line saying why there is none.</summary>
    private IEnumerable<string> Reference(BenchContext context, string input, Frame large, MolecularSymmetryFunctions compute)
    {
        if (Environment.GetEnvironmentVariable(ReferenceVariable) is not { Length: > 0 } source)
            return [$"  peer skipped: set {ReferenceVariable} to rogalj/MolStrucClassifier molvec_lib/ver2.0 (and have g++) to compare with the reference program"];
        var dir = Path.Combine(context.DataDir, "molsf-reference");
        Directory.CreateDirectory(dir);
        var program = Path.Combine(dir, "sa");
        if (!File.Exists(program))
        {
            var build = BenchContext.Run("g++", ["-O3", "-o", program, .. new[] { "readinput.cpp", "main.cpp", "molvec.cpp", "nn.cpp" }.Select(f => Path.Combine(source, f))]);
            if (build.ExitCode != 0) return [$"  peer skipped: building the reference in {source} failed: {build.Stderr.Split('\n').FirstOrDefault()}"];
        }
        // Its INPUT in "features only" mode; it reads weight.txt from its working directory even then.
        var inputFile = Path.Combine(dir, "INPUT.dat");
        File.WriteAllText(inputFile, File.ReadAllText(Path.Combine(source, "INPUT_urea.dat")).Replace("symf_calc_or_NN  NN", "symf_calc_or_NN  symf_calc"));
        File.Copy(Path.Combine(source, "weight.txt"), Path.Combine(dir, "weight.txt"), overwrite: true);
        var largeDump = Path.Combine(dir, "urea-10x.dump");
        if (!File.Exists(largeDump)) WriteDump(large, largeDump);

        var lines = new List<string>();
        foreach (var (label, path) in new[] { ("", input), ("-10x", largeDump) })
        {
            var theirs = new List<double>();
            var ours = new List<double>();
            long molecules = 0;
            for (int r = 0; r < Math.Min(context.Rounds, 3); r++)
            {
                long start = Stopwatch.GetTimestamp();
                molecules = 0;
                using (var reader = TrajectoryReader.Open(path))
                    foreach (var frame in reader.ReadAll())
                        using (frame)
                            molecules += compute.Compute(frame).Count;
                ours.Add(molecules / Stopwatch.GetElapsedTime(start).TotalSeconds);

                start = Stopwatch.GetTimestamp();
                var info = new ProcessStartInfo(program) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var a in new[] { path, "lammps_sym_new", "INPUT.dat" }) info.ArgumentList.Add(a);
                using var p = Process.Start(info)!;
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                // It reserves a ~2.9 MB record per atom (fixed-size arrays), ~100 GB for the 10x box: std::bad_alloc.
                if (p.ExitCode != 0)
                    return [.. lines, $"  peer{label}: the reference program failed on {Path.GetFileName(path)} (exit {p.ExitCode}; it reserves ~2.9 MB per atom, so large boxes run out of memory)"];
                theirs.Add(File.ReadLines(Path.Combine(dir, "symf_result.txt")).Count() / Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            lines.Add($"  peer{label}: ratio={F(Median(ours) / Median(theirs))} (file to features: ours {F(Median(ours), 0)} molecules/s, reference program " +
                      $"{F(Median(theirs), 0)} molecules/s, {molecules} molecules in {Path.GetFileName(path)})");
        }
        return lines;
    }

    private static Frame ReadFirst(string path)
    {
        using var reader = TrajectoryReader.Open(path);
        var frame = reader.Read() ?? throw new BenchException($"{path} has no frame");
        return frame;
    }

    /// <summary>A LAMMPS text dump (id mol element sym_type x y z, sorted by id) the reference program reads.</summary>
    private static void WriteDump(Frame frame, string path)
    {
        var element = frame.Column("element")!;
        var symType = frame.Column("sym_type")!.Values;
        var box = frame.Box;
        var order = Enumerable.Range(0, frame.AtomCount).OrderBy(i => frame.Ids[i]).ToArray();
        using var w = new StreamWriter(path);
        var inv = CultureInfo.InvariantCulture;
        w.Write(string.Create(inv, $"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n{frame.AtomCount}\nITEM: BOX BOUNDS pp pp pp\n"));
        w.Write(string.Create(inv, $"{box.Origin.X:R} {box.Origin.X + box.A.X:R}\n{box.Origin.Y:R} {box.Origin.Y + box.B.Y:R}\n{box.Origin.Z:R} {box.Origin.Z + box.C.Z:R}\n"));
        w.Write("ITEM: ATOMS id mol element sym_type x y z\n");
        // The reference indexes atoms by id - 1, so ids are renumbered 1..N in id order.
        for (int k = 0; k < order.Length; k++)
        {
            int i = order[k];
            string label = element.Labels is { } labels ? labels[(int)element.Values[i]] : element.Values[i].ToString(inv);
            w.Write(string.Create(inv, $"{k + 1} {frame.Molecules[i]} {label} {symType[i]} {frame.X[i]:R} {frame.Y[i]:R} {frame.Z[i]:R}\n"));
        }
    }
}
