using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using StreamMonitor.Classification.Models;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.Monitoring.Events;
using StreamMonitor.Monitoring.Pipeline;
using StreamMonitor.Monitoring;
using StreamMonitor.Ingest;
using StreamMonitor.Ingest.Tailing;

namespace StreamMonitor.Cli;

/// <summary>
/// <c>streammonitor demo</c>: runs the shipped Lennard-Jones crystallization with LAMMPS and monitors its
/// trajectory live, one line per frame as LAMMPS writes it.
/// </summary>
internal static class DemoCommand
{
    private const string InputName = "in.lj-quench";

    /// <summary>The example input's time step (LAMMPS' LJ default), so the front's speed reads in σ per τ.</summary>
    private const double LjTimeStep = 0.005;

    public static Command Create()
    {
        var workdir = new Option<string?>("--workdir") { Description = "Directory for the run's files (default: a new temporary directory)." };
        var steps = new Option<int>("--steps") { Description = "MD steps after the quench.", DefaultValueFactory = _ => 10000 };
        var every = new Option<int>("--dump-every") { Description = "Steps between frames.", DefaultValueFactory = _ => 250 };
        var lmp = new Option<string>("--lmp") { Description = "LAMMPS executable.", DefaultValueFactory = _ => "lmp" };
        var command = new Command("demo", "Run a small LAMMPS Lennard-Jones crystallization and monitor it live.") { workdir, steps, every, lmp };
        command.SetAction((result, ct) => CliErrors.RunAsync(() =>
            RunAsync(result.GetValue(workdir), result.GetValue(steps), result.GetValue(every), result.GetValue(lmp)!, ct)));
        return command;
    }

    private static async Task<int> RunAsync(string? workdir, int steps, int every, string lmp, CancellationToken ct)
    {
        if (steps <= 0 || every <= 0) throw new ArgumentException("--steps and --dump-every must be positive");
        var input = Path.Combine(AppContext.BaseDirectory, "examples", "lj-crystallization", InputName);
        if (!File.Exists(input)) throw new CliException($"the demo input is missing from the installation: {input}", CliErrors.DataError);
        var dir = workdir ?? Directory.CreateTempSubdirectory("streammonitor-demo-").FullName;
        Directory.CreateDirectory(dir);
        var dump = Path.Combine(dir, "dump.lammpstrj");
        File.Delete(dump);
        File.Copy(input, Path.Combine(dir, InputName), overwrite: true);

        var start = new ProcessStartInfo(lmp)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "-in", InputName, "-log", "log.lammps", "-screen", "none", "-var", "run_steps", steps.ToString(), "-var", "dump_every", every.ToString() },
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new CliException($"could not start {lmp}", CliErrors.DataError);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new CliException($"LAMMPS ('{lmp}') was not found: install it (Debian: apt-get install -y lammps) or pass --lmp PATH", CliErrors.DataError);
        }

        Console.WriteLine($"LAMMPS (pid {process.Id}) is melting and quenching 4000 Lennard-Jones atoms in {dir}");
        Console.WriteLine($"monitoring {dump} live; to stop the run early: touch {Path.Combine(dir, "STOP")}");
        using var tailing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // The shipped Lennard-Jones model names every atom's local structure (fcc, hcp, bcc, ico, liquid); the summaries
        // follow the crystal front across z (the seed slab's normal) and feed the event detectors: the same feed, summary
        // and detectors as `watch` and the server's runs.
        using var model = ClassifierModel.Load(ModelCatalog.DefaultAtomic);
        var summarizer = new FrameSummarizer(model, new SummarizerOptions { InterfaceAxis = 'z', TimePerStep = LjTimeStep });
        var supervisor = new RunSupervisor(new EventDetectors(EventRules.Default, "demo"), new StopRules("demo", [], null));
        long delivered = 0;
        var feedEnded = new TaskCompletionSource();
        var finished = WatchAsync(process, dump, () => Volatile.Read(ref delivered), feedEnded.Task, tailing, ct);
        var clock = Stopwatch.StartNew();
        try
        {
            var options = new TailOptions { Format = TrajectoryFormats.Lammps, Follow = true };
            await foreach (var item in SummaryFeed.FollowAsync("demo", summarizer, dump, options, cancellationToken: tailing.Token))
            {
                if (item.Summary is not { } summary)
                {
                    Console.WriteLine($"event: {item.ChangeMessage}");
                    Print(await supervisor.FileChangedAsync(item.ChangeKind!, item.ChangeMessage!, DateTimeOffset.UtcNow, tailing.Token));
                    continue;
                }
                var classes = string.Join("  ", model.Classes.Select(c =>
                    string.Format(CultureInfo.InvariantCulture, "{0} {1,5:0.0}%", c, summary.Count == 0 ? 0 : 100.0 * summary.CountOf(c) / summary.Count)));
                var front = summary.InterfacePosition is { } z
                    ? string.Format(CultureInfo.InvariantCulture, "  front z {0,5:0.0}{1}", z, summary.InterfaceVelocity is { } v ? string.Format(CultureInfo.InvariantCulture, " ({0:+0.00;-0.00}/τ)", v) : "")
                    : "";
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "{0:mm\\:ss}  frame {1,3}  step {2,6}  crystalline {3,5:0.0}%  largest crystal {4,4} atoms  {5}{6}  ({7:0} ms)",
                    clock.Elapsed, summary.Frame, summary.Step, 100.0 * summary.CrystallineFraction, summary.NMax, classes, front, summary.LatencyMs));
                Print(await supervisor.ObserveAsync(summary, DateTimeOffset.UtcNow, tailing.Token));
                Volatile.Write(ref delivered, item.After!.ByteOffset);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            feedEnded.TrySetResult();
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return await finished;
    }

    private static void Print(IEnumerable<RunEvent> events)
    {
        foreach (var found in events)
            Console.WriteLine($"       event {found.Kind} at frame {found.Frame} (step {found.Step}): {found.Message}");
    }

    /// <summary>When LAMMPS exits, lets the feed catch up with the finished file, then stops it.</summary>
    private static async Task<int> WatchAsync(Process process, string dump, Func<long> delivered, Task feedEnded,
        CancellationTokenSource tailing, CancellationToken ct)
    {
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline && !feedEnded.IsCompleted
               && (!File.Exists(dump) || delivered() < new FileInfo(dump).Length))
            await Task.Delay(50, CancellationToken.None);
        await tailing.CancelAsync();
        if (process.ExitCode == 0)
        {
            Console.WriteLine("LAMMPS finished.");
            return 0;
        }
        var err = await process.StandardError.ReadToEndAsync(CancellationToken.None);
        Console.Error.WriteLine($"streammonitor: LAMMPS exited with code {process.ExitCode}; see log.lammps in {Path.GetDirectoryName(dump)}. {err.Trim()}");
        return CliErrors.DataError;
    }
}
