using StreamMonitor.Core;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.Runs;

/// <summary>
/// How a run's pipeline reports back to its grain. Implemented by <see cref="RunGrain"/> beside <c>IRunGrain</c> but kept
/// out of the contracts clients see: only the grain's own pipeline calls these. Reports of a pipeline other than the
/// grain's current one (one still running down after a deactivation) are ignored.
/// </summary>
public interface IRunReports : IGrainWithStringKey
{
    /// <summary>
    /// One frame's summary and the checkpoint just after it; a frame out of sequence (a retried report) is ignored. A stop
    /// rule the frame triggers runs its command within this call, hence the timeout of <c>IRunGrain.Stop</c>.
    /// </summary>
    [ResponseTimeout("00:03:00")]
    Task ReportFrame(Guid pipeline, FrameSummary summary, Checkpoint after);

    /// <summary>The trajectory file changed under the run (<c>truncated</c>, <c>replaced</c>, <c>missing</c>, ...); may trigger a stop rule.</summary>
    [ResponseTimeout("00:03:00")]
    Task ReportFileChange(Guid pipeline, string kind, string message);

    /// <summary>The pipeline ended, failing with <paramref name="error"/>, or (null) because its trajectory ended.</summary>
    Task ReportEnd(Guid pipeline, string? error);
}
