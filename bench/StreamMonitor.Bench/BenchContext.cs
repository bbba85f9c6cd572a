using System.Diagnostics;
using System.Text.Json;

namespace StreamMonitor.Bench;

/// <summary>What every case gets: where things are, how many rounds to run, and helpers for data and peers.</summary>
public sealed class BenchContext
{
    public BenchContext(string benchDir, string dataDir, int rounds, double? seconds = null, IReadOnlyList<int>? runs = null)
    {
        BenchDir = benchDir;
        DataDir = dataDir;
        Rounds = rounds;
        Seconds = seconds;
        Runs = runs;
    }

    /// <summary>The bench/ folder (peer scripts in peers/, data generators in data/).</summary>
    public string BenchDir { get; }

    /// <summary>Cache of generated inputs (bench/.data unless STREAMMONITOR_BENCH_DATA says otherwise).</summary>
    public string DataDir { get; }

    /// <summary>Alternating us/peer rounds per comparison; results are medians over them.</summary>
    public int Rounds { get; }

    /// <summary>How long each timed phase of a case that runs for a set time lasts (<c>--seconds</c>); null for the case's default.</summary>
    public double? Seconds { get; }

    /// <summary>The numbers of concurrent runs a case that sweeps them measures (<c>--runs</c>); null for the case's default.</summary>
    public IReadOnlyList<int>? Runs { get; }

    /// <summary>The numbers of silos a case that sweeps them measures (<c>--silos</c>); null for the case's default.</summary>
    public IReadOnlyList<int>? Silos { get; init; }

    /// <summary>How many cores each silo of a multi-silo case is pinned to (<c>--cores-per-silo</c>); null for the case's default.</summary>
    public int? CoresPerSilo { get; init; }

    /// <summary>
    /// Path of <paramref name="file"/> in the data cache, made first by <c>bench/data/<paramref name="script"/></c>
    /// when it is missing. Generators write every input they know about, so one call fills the cache for later cases.
    /// </summary>
    public string Data(string script, string file)
    {
        var path = Path.Combine(DataDir, file);
        if (File.Exists(path) && new FileInfo(path).Length > 0) return path;
        Directory.CreateDirectory(DataDir);
        Console.Error.WriteLine($"[bench] generating {file} with data/{script} (once; cached in {DataDir})");
        var result = Run("bash", [Path.Combine(BenchDir, "data", script), DataDir], echoStderr: true);
        if (result.ExitCode != 0 || !File.Exists(path))
            throw new BenchException($"data/{script} failed (exit {result.ExitCode}) and did not write {path}");
        return path;
    }

    /// <summary>Runs a peer script under <see cref="Tools.Python"/> and parses the JSON line it prints last.</summary>
    public PeerRun RunPeer(string script, params string[] args)
    {
        var result = Run(Tools.Python, ["-W", "ignore", Path.Combine(BenchDir, "peers", script), .. args]);
        if (result.ExitCode != 0)
            throw new BenchException($"peer {script} failed (exit {result.ExitCode}): {Tail(result.Stderr)}");
        var line = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        try
        {
            return JsonSerializer.Deserialize<PeerRun>(line ?? "", JsonOptions)
                   ?? throw new BenchException($"peer {script} printed no result");
        }
        catch (JsonException e)
        {
            throw new BenchException($"peer {script} printed '{line}', not a JSON result ({e.Message})");
        }
    }

    /// <summary>How to start this program again (for a child process): the apphost, or dotnet + this assembly.</summary>
    public static (string File, string[] Prefix) Self()
    {
        var process = Environment.ProcessPath ?? throw new BenchException("cannot tell how this process was started");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [typeof(BenchContext).Assembly.Location])
            : (process, []);
    }

    /// <summary>"load average 1.9 2.3 2.1 on 2 cores", for cases whose absolute times are the result.</summary>
    public static string MachineLoad()
    {
        var fields = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ') : [];
        var load = fields.Length >= 3 ? string.Join(" ", fields[..3]) : "unknown";
        return $"load average {load} (1/5/15 min) on {Environment.ProcessorCount} cores";
    }

    public static ProcessResult Run(string file, IEnumerable<string> args, bool echoStderr = false)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = !echoStderr };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info) ?? throw new BenchException($"could not start {file}");
        var stderr = echoStderr ? Task.FromResult("") : p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new ProcessResult(p.ExitCode, stdout, stderr.Result);
    }

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" | ", lines.TakeLast(3));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
}

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>What a peer script reports (one JSON line on stdout).</summary>
public sealed record PeerRun
{
    [System.Text.Json.Serialization.JsonPropertyName("seconds")] public double Seconds { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("open_seconds")] public double OpenSeconds { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("frames")] public long Frames { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("atoms")] public long Atoms { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("checksum")] public double Checksum { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("version")] public string? Version { get; init; }
}

/// <summary>A case that cannot run (missing tool, failed generator, wrong result): reported, not a stack trace.</summary>
public sealed class BenchException(string message) : Exception(message);
