namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// One way of ending a run from outside the engine: a stop file the engine polls, a POSIX signal, or a command such as
/// <c>scancel</c>. Control is server-side only: a strategy is configured by whoever registered the run, and a stop
/// request (from a rule or an operator) only chooses when it is carried out, never what is run.
/// </summary>
/// <remarks>
/// Implementations never throw for the failures a stop can expect (the process already exited, the command exits
/// non-zero, a placeholder is missing, the directory is read-only): they report them in the <see cref="StopOutcome"/>,
/// so every attempt can be recorded with <see cref="StopOutcome.ToEvent(StopRequest)"/>. Cancellation of
/// <paramref name="cancellationToken"/> is not such a failure and surfaces as <see cref="OperationCanceledException"/>.
/// </remarks>
public interface IStopStrategy
{
    /// <summary>Carries out the stop once; safe to call again (a second stop of a stopped run is harmless).</summary>
    Task<StopOutcome> StopAsync(StopRequest request, CancellationToken cancellationToken = default);
}
