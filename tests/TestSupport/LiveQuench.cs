using System.Diagnostics;

namespace StreamMonitor.TestSupport;

/// <summary>
/// The shipped quench writing its dump for as long as a test needs a live run: it goes on until the test halts it through
/// the input's stop file, and then ends cleanly at the next frame. A test that must kill a silo, stop InfluxDB or open a
/// browser "while the run is still being written" cannot know beforehand how long that takes on a loaded machine; a run
/// of fixed length either ends too early there or makes the test wait for nothing everywhere else.
/// </summary>
public sealed class LiveQuench : IDisposable
{
    private readonly string _halt;

    private LiveQuench(Process process, string dump, string halt)
    {
        Process = process;
        Dump = dump;
        _halt = halt;
    }

    /// <summary>The running lmp.</summary>
    public Process Process { get; }

    /// <summary>The dump it writes.</summary>
    public string Dump { get; }

    public bool HasExited => Process.HasExited;

    /// <summary>"running" or "exited" with lmp's exit code, for a test's failure message.</summary>
    public string State => Process.HasExited ? $"exited {Process.ExitCode}" : "running";

    /// <summary>
    /// Starts the quench in <paramref name="directory"/>. It writes at most <paramref name="maxFrames"/> frames, so a test
    /// that fails before halting it leaves no lmp behind for long.
    /// </summary>
    public static LiveQuench Start(string directory, string dump, int cells = 5, int dumpEvery = 1000, int maxFrames = 600)
    {
        string halt = dump + ".halt";
        File.Delete(halt);
        var arguments = Lammps.QuenchArguments(dump, cells, runSteps: maxFrames * dumpEvery, dumpEvery: dumpEvery, extraVariables: ["-var", "halt", halt]);
        return new LiveQuench(ExternalProcess.Start("lmp", arguments, directory), dump, halt);
    }

    /// <summary>Halts the run at its next frame, waits for lmp to end and returns the frames the dump holds.</summary>
    public async Task<int> HaltAsync(TimeSpan? timeout = null)
    {
        await File.WriteAllTextAsync(_halt, "");
        var wait = timeout ?? TimeSpan.FromSeconds(60);
        using var patience = new CancellationTokenSource(wait);
        try
        {
            await Process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"lmp writing {Dump} did not halt within {wait.TotalSeconds} s of {_halt}");
        }
        if (Process.ExitCode != 0)
            throw new InvalidOperationException($"lmp writing {Dump} exited with {Process.ExitCode}: {await Process.StandardError.ReadToEndAsync()}");
        return Lammps.FramesIn(Dump);
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill();
        Process.Dispose();
    }
}
