using Orleans.Concurrency;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Contracts.Grains;

/// <summary>
/// One run (one trajectory), keyed by run id (<see cref="RunIds"/>). Once registered, the grain follows its trajectory
/// while the run is live: a pipeline off the grain scheduler tails the file from the persisted checkpoint and
/// summarises each frame, and the grain records it, runs the event detectors, applies the stop rules and publishes every
/// summary, event and status change, numbered, on the run's stream. A re-activated grain resumes right after the last
/// persisted frame: no frame is recorded twice. A run ends (<see cref="RunStates.IsEnded"/>) when its file stays idle,
/// after a stop once the file stops growing, on failure, or when removed; an ended run holds nothing.
/// </summary>
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers the run and starts following it. The same configuration again does nothing while the run is live and
    /// follows it again (from its checkpoint) once it has ended; a different one is a <see cref="RunConflictException"/>
    /// naming the differences, unless the run was removed, which makes the id free. A configuration the server refuses
    /// (a path outside its data roots, an unknown model or stop command, ...) is an <see cref="ArgumentException"/>.
    /// </summary>
    Task<RunStatus> Register(RunConfig config, Actor by);

    Task<RunStatus> GetStatus();

    /// <summary>The updates after sequence number <paramref name="after"/> that the run still keeps, oldest first, at most <paramref name="limit"/>.</summary>
    Task<RunUpdatePage> GetUpdates(long after, int limit);

    /// <summary>The latest frame summaries, oldest first (bounded).</summary>
    Task<IReadOnlyList<FrameSummary>> GetRecentSummaries();

    /// <summary>Events detected and stops carried out, oldest first (bounded).</summary>
    Task<IReadOnlyList<RunEvent>> GetEvents();

    /// <summary>
    /// The latest frame's largest crystalline cluster and the rows around it, at most <paramref name="maxAtoms"/>
    /// (1 to <see cref="RunStructure.MaxCap"/>; else an <see cref="ArgumentOutOfRangeException"/>): null while the run
    /// has no pipeline in this activation or no frame yet. An ended run gives its last frame's while it stays active.
    /// Interleaves: it reads what the pipeline keeps, so a frame's report that runs a slow stop does not hold it up.
    /// </summary>
    [AlwaysInterleave]
    Task<RunStructure?> GetStructure(int maxAtoms);

    /// <summary>
    /// Stops the run with its configured strategy on an operator's request and returns the recorded
    /// <see cref="RunEventKinds.Stop"/> event; a run that has ended is a <see cref="RunConflictException"/>. A stop command
    /// may take up to two minutes (<c>NamedCommand.LongestTimeout</c>), hence the longer timeout.
    /// </summary>
    [ResponseTimeout("00:03:00")]
    Task<RunEvent> Stop(Actor by);

    /// <summary>
    /// Takes the run off the server: it stops following (the engine is not stopped) and is listed as removed, its
    /// recorded history kept; with <paramref name="purge"/> its history is deleted too and the id forgotten.
    /// </summary>
    Task<RunStatus> Remove(Actor by, bool purge);
}
