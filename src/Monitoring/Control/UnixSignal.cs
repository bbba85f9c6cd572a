namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// The POSIX signals a run may be stopped with. Named rather than numbered because the numbers differ between
/// systems (SIGUSR1 is 10 on Linux, 30 on macOS); <see cref="UnixSignals"/> maps them to the running system's numbers.
/// </summary>
public enum UnixSignal
{
    /// <summary>SIGTERM: the polite stop; GROMACS mdrun finishes at the next neighbour-search step and writes a checkpoint.</summary>
    Term,

    /// <summary>SIGINT: as Ctrl-C; GROMACS treats it like SIGTERM.</summary>
    Int,

    /// <summary>SIGHUP.</summary>
    Hup,

    /// <summary>SIGQUIT.</summary>
    Quit,

    /// <summary>SIGUSR1: engine- or batch-script-defined.</summary>
    Usr1,

    /// <summary>SIGUSR2: engine- or batch-script-defined.</summary>
    Usr2,

    /// <summary>SIGKILL: cannot be caught; the run ends without writing a checkpoint.</summary>
    Kill,
}
