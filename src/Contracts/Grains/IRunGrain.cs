using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Runs;
using StreamMonitor.Core;

namespace StreamMonitor.Contracts.Grains;

/// <summary>
/// One run (one trajectory), keyed by run id. Once registered, the grain follows its trajectory while active: a
/// pipeline off the grain scheduler tails the file from the persisted checkpoint, summarises each frame and reports it
/// back through <see cref="ReportFrame"/>, where the grain records it, runs the event detectors and applies the stop
/// rules. A re-activated grain resumes right after the last persisted frame: no frame is recorded twice.
/// </summary>
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers the run and starts following it. Registering the same trajectory again does nothing while the run is
    /// followed, and follows it again (from its checkpoint) once its pipeline has ended, e.g. after a failure was fixed.
    /// </summary>
    Task Register(RunConfig config);

    Task<RunStatus> GetStatus();

    /// <summary>The latest frame summaries, oldest first (bounded).</summary>
    Task<IReadOnlyList<FrameSummary>> GetRecentSummaries();

    /// <summary>Events detected and stops carried out, oldest first (bounded).</summary>
    Task<IReadOnlyList<RunEvent>> GetEvents();

    /// <summary>Stops the run with its configured strategy on an operator's request; returns the recorded <see cref="RunEventKinds.Stop"/> event.</summary>
    Task<RunEvent> Stop(string requestedBy);

    /// <summary>
    /// Pipeline → grain: one frame's summary and the checkpoint just after it. Reports of a pipeline other than the
    /// grain's current one, and frames out of sequence (a retried report of a frame already recorded), are ignored.
    /// </summary>
    Task ReportFrame(Guid pipeline, FrameSummary summary, Checkpoint after);

    /// <summary>Pipeline → grain: the trajectory file changed under the run (<c>truncated</c>, <c>replaced</c>, <c>missing</c>, ...).</summary>
    Task ReportFileChange(Guid pipeline, string kind, string message);

    /// <summary>Pipeline → grain: the pipeline ended, at the end of the file (<paramref name="error"/> null) or failing.</summary>
    Task ReportEnd(Guid pipeline, string? error);
}
