using StreamMonitor.Core;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Dashboard.Hosting;
using StreamMonitor.Grains.Hosting;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Grains.Streams;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Control;
using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Cli;

/// <summary>
/// <c>streammonitor demo</c>: runs the shipped Lennard-Jones crystallization with LAMMPS, registers its trajectory as a
/// run of an embedded server (one process, state in the work directory) and prints one line per frame as the run's
/// updates arrive, while the dashboard shows the same run live. The run's stop (the dashboard's button, or touching the
/// STOP file) ends LAMMPS cleanly at its next frame.
/// </summary>
internal static class DemoCommand
{
    private const string InputName = "in.lj-quench";

    private const string RunId = "demo";

    /// <summary>The example input's time step (LAMMPS' LJ default), so the front's speed reads in σ per τ.</summary>
    private const double LjTimeStep = 0.005;

    public static Command Create()
    {
        var workdir = new Option<string?>("--workdir") { Description = "Directory for the run's files (default: a new temporary directory)." };
        var steps = new Option<int>("--steps") { Description = "MD steps after the quench.", DefaultValueFactory = _ => 10000 };
        var every = new Option<int>("--dump-every") { Description = "Steps between frames.", DefaultValueFactory = _ => 250 };
        var lmp = new Option<string>("--lmp") { Description = "LAMMPS executable.", DefaultValueFactory = _ => "lmp" };
        var port = new Option<int>("--port")
        {
            Description = $"The dashboard's HTTP port on 127.0.0.1 (another free one when it is taken).",
            DefaultValueFactory = _ => ServerDefaults.HttpPort,
        };
        var keep = new Option<bool>("--keep-serving")
        {
            Description = "Keep serving the dashboard after LAMMPS finishes, until Ctrl+C (default: when run in a terminal).",
            DefaultValueFactory = _ => !Console.IsOutputRedirected && !Console.IsInputRedirected,
        };
        var command = new Command("demo", "Run a small LAMMPS Lennard-Jones crystallization, monitor it live and show it on the dashboard.")
        {
            workdir, steps, every, lmp, port, keep,
        };
        command.SetAction((result, ct) => CliErrors.RunAsync(() => RunAsync(result.GetValue(workdir), result.GetValue(steps), result.GetValue(every),
            result.GetValue(lmp)!, result.GetValue(port), result.GetValue(keep), ct)));
        return command;
    }

    private static async Task<int> RunAsync(string? workdir, int steps, int every, string lmp, int port, bool keepServing, CancellationToken ct)
    {
        if (steps <= 0 || every <= 0) throw new ArgumentException("--steps and --dump-every must be positive");
        if (port is < 1 or > 65535) throw new ArgumentException($"--port must be 1..65535, got {port}");
        var input = Path.Combine(AppContext.BaseDirectory, "examples", "lj-crystallization", InputName);
        if (!File.Exists(input)) throw new CliException($"the demo input is missing from the installation: {input}", CliErrors.DataError);
        var dir = Path.GetFullPath(workdir ?? Directory.CreateTempSubdirectory("streammonitor-demo-").FullName);
        Directory.CreateDirectory(dir);
        var dump = Path.Combine(dir, "dump.lammpstrj");
        var stopFile = Path.Combine(dir, "STOP");
        File.Delete(dump);
        File.Delete(stopFile);
        File.Copy(input, Path.Combine(dir, InputName), overwrite: true);
        // Each demo is a new run: a server state left in the folder by an earlier one would resume that run instead.
        var data = Path.Combine(dir, "server");
        if (Directory.Exists(data)) Directory.Delete(data, recursive: true);

        var server = new ServerOptions
        {
            Port = LoopbackPorts.IsFree(port) ? port : LoopbackPorts.Next(),
            SiloPort = LoopbackPorts.Next(),
            DataDirectory = data,
            DataRoots = [dir],
            LogLevel = LogLevel.Warning,
        };
        await using var app = ServerHost.Create(server);
        await app.StartAsync(ct);
        var process = StartLammps(lmp, dir, steps, every);
        var url = $"{server.Security.Url(server.Port)}/runs/{RunId}";
        Console.WriteLine($"LAMMPS (pid {process.Id}) is melting and quenching 4000 Lennard-Jones atoms in {dir}");
        Console.WriteLine($"monitoring {dump} live; to stop the run early: touch {stopFile}, or press Stop on the dashboard");
        Console.WriteLine($"dashboard: {url}");
        try
        {
            await app.Services.GetRequiredService<RunRegistrar>().RegisterAsync(RunId, new RunConfig
            {
                TrajectoryPath = dump,
                Format = "lammps",
                // The shipped Lennard-Jones model names every atom's local structure (fcc, hcp, bcc, ico, liquid); the
                // summaries follow the crystal front across z (the seed slab's normal).
                Summary = new SummarySettings { InterfaceAxis = 'z', TimePerStep = LjTimeStep },
                // The input ends LAMMPS at its next frame once this file exists (fix halt).
                Stop = StopSpec.ForFile(stopFile),
                EndAfterIdle = TimeSpan.FromMinutes(2),
                EndAfterStop = TimeSpan.FromSeconds(5),
            }, new Actor("demo"));
            int code = await FollowAsync(app, process, dump, ct);
            if (keepServing && !ct.IsCancellationRequested)
            {
                Console.WriteLine($"the dashboard keeps showing the run at {url}; Ctrl+C to quit");
                await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            return code;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await app.StopAsync(CancellationToken.None);
        }
    }

    private static Process StartLammps(string lmp, string dir, int steps, int every)
    {
        var start = new ProcessStartInfo(lmp)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "-in", InputName, "-log", "log.lammps", "-screen", "none", "-var", "run_steps", steps.ToString(CultureInfo.InvariantCulture), "-var", "dump_every", every.ToString(CultureInfo.InvariantCulture) },
        };
        try
        {
            return Process.Start(start) ?? throw new CliException($"could not start {lmp}", CliErrors.DataError);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new CliException($"LAMMPS ('{lmp}') was not found: install it (Debian: apt-get install -y lammps) or pass --lmp PATH", CliErrors.DataError);
        }
    }

    /// <summary>Prints the run's frames and events as they are recorded, until LAMMPS has ended and every frame it wrote is shown.</summary>
    private static async Task<int> FollowAsync(WebApplication app, Process process, string dump, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long shown = 0; // frames printed
        using var following = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var client = app.Services.GetRequiredService<IClusterClient>();
        var ended = WhenShownAsync(client.GetGrain<IRunGrain>(RunId), process, dump, () => Volatile.Read(ref shown), following, ct);
        try
        {
            await foreach (var update in new RunUpdateFollower(client, RunId).FollowAsync(0, following.Token))
            {
                if (update.Summary is { } summary)
                {
                    Console.WriteLine(FrameLine(summary, clock.Elapsed));
                    Volatile.Write(ref shown, summary.Frame + 1);
                }
                else if (update.Event is { } found)
                    Console.WriteLine($"       event {found.Kind} at frame {found.Frame} (step {found.Step}): {found.Message}");
            }
        }
        catch (OperationCanceledException)
        {
        }
        return await ended;
    }

    private static string FrameLine(FrameSummary summary, TimeSpan elapsed)
    {
        var classes = string.Join("  ", summary.ClassCounts.Select(c =>
            string.Format(CultureInfo.InvariantCulture, "{0} {1,5:0.0}%", c.Key, summary.Count == 0 ? 0 : 100.0 * c.Value / summary.Count)));
        var front = summary.InterfacePosition is { } z
            ? string.Format(CultureInfo.InvariantCulture, "  front z {0,5:0.0}{1}", z, summary.InterfaceVelocity is { } v ? string.Format(CultureInfo.InvariantCulture, " ({0:+0.00;-0.00}/τ)", v) : "")
            : "";
        return string.Format(CultureInfo.InvariantCulture,
            "{0:mm\\:ss}  frame {1,3}  step {2,6}  crystalline {3,5:0.0}%  largest crystal {4,4} atoms  {5}{6}  ({7:0} ms)",
            elapsed, summary.Frame, summary.Step, 100.0 * summary.CrystallineFraction, summary.NMax, classes, front, summary.LatencyMs);
    }

    /// <summary>When LAMMPS exits, waits until the run has recorded and the demo shown every frame of the finished file, then ends the following.</summary>
    private static async Task<int> WhenShownAsync(IRunGrain run, Process process, string dump, Func<long> shown, CancellationTokenSource following,
        CancellationToken ct)
    {
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var status = await run.GetStatus();
            long length = File.Exists(dump) ? new FileInfo(dump).Length : 0;
            if (!status.State.IsLive() || status.Checkpoint is { } c && c.ByteOffset >= length && shown() >= c.FrameIndex) break;
            await Task.Delay(50, CancellationToken.None);
        }
        await following.CancelAsync();
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
