namespace StreamMonitor.Monitoring;

/// <summary>
/// Where a run stands. A live run goes <c>registered → following ⇄ stalled</c>, may become <c>committed</c> (it entered
/// a committor basin) and <c>stopping</c> (a stop was carried out and the engine is writing its last frames), and ends
/// <c>stopped</c>, <c>finished</c> or <c>failed</c>; <c>removed</c> is a run taken off the server. An ended run holds
/// nothing: no tailer, file watch, timer, reminder or activation.
/// </summary>
public enum RunState
{
    /// <summary>Not registered (nothing is known of the run).</summary>
    Unregistered = 0,

    /// <summary>Registered; no frame processed yet (the file may not exist yet).</summary>
    Registered = 1,

    /// <summary>Frames are being processed as the file grows.</summary>
    Following = 2,

    /// <summary>No frame for much longer than the run's usual interval (the stall detector fired); a new frame makes it following again.</summary>
    Stalled = 3,

    /// <summary>The run entered a committor basin; still followed.</summary>
    Committed = 4,

    /// <summary>A stop was carried out; the run is followed until its file stops growing.</summary>
    Stopping = 5,

    /// <summary>Ended after a stop, once the file stopped growing.</summary>
    Stopped = 6,

    /// <summary>Ended: the file did not grow for the run's <c>end_after_idle</c>, every frame processed.</summary>
    Finished = 7,

    /// <summary>Ended: the pipeline failed (unreadable file, unknown model, ...); see the status's last error.</summary>
    Failed = 8,

    /// <summary>Taken off the server by someone (<c>DELETE /api/runs/{id}</c>).</summary>
    Removed = 9,
}
