using System.Diagnostics;
using StreamMonitor.Bench;
using StreamMonitor.Bench.Cases;

// Usage: StreamMonitor.Bench [--rounds N] [--seconds S] [--runs N,N,...] [--silos N,N,...] [--cores-per-silo N] [--list] [name...]
// (normally through ./bench/run.sh)
var names = new List<string>();
int rounds = 5;
double? seconds = null;
List<int>? runs = null;
List<int>? silos = null;
int? coresPerSilo = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--child-read" when i + 1 < args.Length:
            return MemoryFramesCase.ChildRead(args[i + 1]);
        case "--hub-clients" when i + 4 < args.Length:
            return HubClientsProcess.Run(args[i + 1], int.Parse(args[i + 2]), int.Parse(args[i + 3]), args[i + 4]);
        case "--silo-sizing-child" when i + 3 < args.Length:
            return SiloSizingCase.Child(args[i + 1], int.Parse(args[i + 2]), args[i + 3]);
        case "--cluster-silo" when i + 4 < args.Length:
            return ClusterSiloProcess.Run(args[i + 1], args[i + 2], args[i + 3], args[i + 4]);
        case "--summary-scaling-child" when i + 2 < args.Length:
            return SummaryScalingCase.Child(args[i + 1], args[i + 2]);
        case "--list":
            foreach (var c in BenchCases.All) Console.WriteLine($"{c.Name,-22} {c.Description}");
            return 0;
        case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], out int r) && r >= 1:
            rounds = r;
            i++;
            break;
        case "--seconds" when i + 1 < args.Length && double.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0:
            seconds = s;
            i++;
            break;
        case "--runs" or "--silos" when i + 1 < args.Length:
            var counts = ParseCounts(args[i + 1]);
            if (counts is null)
            {
                Console.Error.WriteLine($"{args[i]} takes positive counts separated by commas (e.g. 1,4,16), got '{args[i + 1]}'");
                return 2;
            }
            if (args[i] == "--runs") runs = counts;
            else silos = counts;
            i++;
            break;
        case "--cores-per-silo" when i + 1 < args.Length:
            if (!int.TryParse(args[i + 1], out int perSilo) || perSilo < 1)
            {
                Console.Error.WriteLine($"--cores-per-silo takes a positive count, got '{args[i + 1]}'");
                return 2;
            }
            coresPerSilo = perSilo;
            i++;
            break;
        case "-h" or "--help":
            Console.WriteLine("usage: ./bench/run.sh [--rounds N] [--seconds S] [--runs N,N,...] [--silos N,N,...] [--cores-per-silo N] [--list] [name...]" +
                              "   (no names: every case; --seconds: length of each timed phase of the cases that run for a set time; " +
                              "--runs: the numbers of concurrent runs of the cases that sweep them (silo-scaleout: per silo); " +
                              "--silos, --cores-per-silo: the cluster sizes silo-scaleout measures and the cores each silo is pinned to)");
            return 0;
        default:
            if (args[i].StartsWith('-'))
            {
                Console.Error.WriteLine($"unknown option '{args[i]}' (try --help)");
                return 2;
            }
            names.Add(args[i]);
            break;
    }
}

var unknown = names.Where(n => BenchCases.All.All(c => c.Name != n)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown case(s): {string.Join(", ", unknown)}; known: {string.Join(", ", BenchCases.All.Select(c => c.Name))}");
    return 2;
}
var cases = names.Count == 0 ? BenchCases.All : BenchCases.All.Where(c => names.Contains(c.Name)).ToList();

var benchDir = FindBenchDir();
var dataDir = Environment.GetEnvironmentVariable("STREAMMONITOR_BENCH_DATA") is { Length: > 0 } d ? d : Path.Combine(benchDir, ".data");
var context = new BenchContext(benchDir, dataDir, rounds, seconds, runs) { Silos = silos, CoresPerSilo = coresPerSilo };

int failures = 0;
foreach (var c in cases)
{
    var missing = c.Requires.Where(t => !Tools.Present(t)).ToList();
    if (missing.Count > 0)
    {
        Console.WriteLine($"{c.Name} skipped: missing {string.Join(", ", missing.Select(t => $"{t.Name} ({t.Install})"))}");
        failures++;
        continue;
    }
    var clock = Stopwatch.StartNew();
    try
    {
        foreach (var line in c.Run(context)) Console.WriteLine(line);
        Console.WriteLine($"  ({clock.Elapsed.TotalSeconds:F0} s)");
    }
    catch (Exception e) when (e is BenchException or IOException or StreamMonitor.Ingest.TrajectoryFormatException)
    {
        Console.WriteLine($"{c.Name} error: {e.Message}");
        failures++;
    }
    catch (Exception e)
    {
        Console.WriteLine($"{c.Name} error: {e.GetType().Name}: {e.Message}");
        Console.Error.WriteLine(e);
        failures++;
    }
}
return failures == 0 ? 0 : 1;

// "1,4,16" -> [1, 4, 16]; null unless every entry is a positive count.
static List<int>? ParseCounts(string text)
{
    var counts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(t => int.TryParse(t, out int n) && n >= 1 ? n : 0).ToList();
    return counts.Count > 0 && counts.All(n => n > 0) ? counts : null;
}

static string FindBenchDir()
{
    if (Environment.GetEnvironmentVariable("STREAMMONITOR_BENCH_DIR") is { Length: > 0 } fromEnv) return fromEnv;
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "peers", "lammps_parse.py"))) return dir.FullName;
    throw new InvalidOperationException("cannot find the bench/ folder (set STREAMMONITOR_BENCH_DIR)");
}
