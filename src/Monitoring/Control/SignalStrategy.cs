using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// Stops a run by sending a POSIX signal (SIGTERM by default) to its engine's process: GROMACS mdrun catches SIGTERM
/// and SIGINT, finishes at the next neighbour-search step and writes a checkpoint.
/// </summary>
/// <remarks>
/// <para>
/// The pid is fixed or comes from the request (<c>{pid}</c>), since a run's process is often known only when the run is
/// registered. Pids 1 and below are refused: 0 and negative numbers signal whole process groups (-1: every process
/// the server may signal), 1 is init. A process that no longer exists is a failed outcome, not an exception. Pids are
/// reused by the system, so the pid must be that of a process the run still owns: register it when the run starts
/// and stop through a job scheduler (<see cref="CommandStrategy"/> with <c>scancel</c>) when the run is a batch job.
/// </para>
/// <para>
/// mdrun (GROMACS 2022) stopped this way exits with status 1 (its stop condition), not 0, and writes no final
/// configuration (<c>-c</c>): a job script that checks mdrun's status should take 1 after a stop as a clean end, and
/// continue from the checkpoint (<c>-cpi</c>).
/// </para>
/// </remarks>
public sealed class SignalStrategy : IStopStrategy
{
    /// <summary>Signals a fixed process.</summary>
    public SignalStrategy(int pid, UnixSignal signal = UnixSignal.Term)
        : this(pid.ToString(CultureInfo.InvariantCulture), signal)
    {
    }

    /// <summary>Signals the process a pid template names: a number, or a placeholder such as <c>{pid}</c>.</summary>
    /// <param name="guard">Checked just before the signal is sent (a pid may have been reused); null signals any process the OS allows.</param>
    public SignalStrategy(string pid, UnixSignal signal = UnixSignal.Term, ProcessGuard? guard = null)
    {
        Guard = guard;
        ArgumentNullException.ThrowIfNull(pid);
        if (!Enum.IsDefined(signal)) throw new ArgumentOutOfRangeException(nameof(signal), signal, "not a known signal");
        if (!Placeholders.Contains(pid) && !TryParsePid(pid, out _, out var error)) throw new ArgumentException(error, nameof(pid));
        Pid = pid.Trim();
        Signal = signal;
    }

    /// <summary>The pid as configured: a number or a placeholder template.</summary>
    public string Pid { get; }

    public UnixSignal Signal { get; }

    public ProcessGuard? Guard { get; }

    public Task<StopOutcome> StopAsync(StopRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Send(request));
    }

    private StopOutcome Send(StopRequest request)
    {
        var action = $"send {Signal.Name()} to pid";
        if (!Placeholders.TryExpand(Pid, request, out var expanded, out var error))
            return StopOutcome.Failed(StopStrategyKinds.Signal, $"did not {action} {Pid}", error);
        if (!TryParsePid(expanded, out int pid, out var invalid))
            return StopOutcome.Failed(StopStrategyKinds.Signal, $"did not {action} {expanded}", invalid);
        if (Guard?.Refusal(pid) is { } refusal)
            return StopOutcome.Failed(StopStrategyKinds.Signal, $"did not {action} {pid}", refusal);
        if (!Signal.TryGetNativeNumber(out int number))
            return StopOutcome.Failed(StopStrategyKinds.Signal, $"did not {action} {pid}", $"signals need Linux or macOS, not {Environment.OSVersion.Platform}");

        int errno;
        try
        {
            errno = NativeSignals.Send(pid, number);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return StopOutcome.Failed(StopStrategyKinds.Signal, $"did not {action} {pid}", $"libc kill is not available: {e.Message}");
        }
        return errno switch
        {
            0 => StopOutcome.Succeeded(StopStrategyKinds.Signal, $"sent {Signal.Name()} to pid {pid}"),
            NativeSignals.NoSuchProcess => StopOutcome.Failed(StopStrategyKinds.Signal, $"could not {action} {pid}",
                $"no process with pid {pid} (it has already exited)"),
            NativeSignals.NotPermitted => StopOutcome.Failed(StopStrategyKinds.Signal, $"could not {action} {pid}",
                $"not permitted to signal pid {pid} (it belongs to another user)"),
            _ => StopOutcome.Failed(StopStrategyKinds.Signal, $"could not {action} {pid}", $"kill failed with errno {errno}"),
        };
    }

    /// <summary>Reads a pid that may be signalled, or says why it may not.</summary>
    private static bool TryParsePid(string text, out int pid, [NotNullWhen(false)] out string? error)
    {
        error = !int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out pid)
            ? $"pid '{text}' is not a process id (a whole number, or a placeholder such as {{pid}})"
            : pid <= 1 ? $"pid {pid} is refused: 0 and negative pids signal process groups, 1 is init" : null;
        return error is null;
    }
}
