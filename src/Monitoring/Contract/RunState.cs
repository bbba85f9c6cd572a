namespace StreamMonitor.Monitoring;

/// <summary>Where a run stands.</summary>
public enum RunState
{
    /// <summary>Not registered (the grain has no configuration).</summary>
    Unregistered = 0,

    /// <summary>Registered; no frame processed yet.</summary>
    Registered = 1,

    /// <summary>Frames are being processed.</summary>
    Running = 2,

    /// <summary>The file ended (idle timeout) and every frame was processed.</summary>
    Finished = 3,

    /// <summary>A stop was carried out successfully (frames written afterwards are still processed).</summary>
    Stopped = 4,

    /// <summary>The pipeline failed (unreadable file, unknown model, ...); see <see cref="RunStatus.LastError"/>.</summary>
    Failed = 5,
}
