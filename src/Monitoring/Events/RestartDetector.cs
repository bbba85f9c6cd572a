
namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// Turns a change of the trajectory file under a run (what the tailer reports) into a
/// <see cref="RunEventKinds.Restart"/> event: the engine restarted and rewrote the file, the job was resubmitted into
/// a new file, or the file went away. Labels carry <c>change</c>; the message is the tailer's sentence.
/// </summary>
public sealed class RestartDetector(string runId)
{
    public const string Truncated = "truncated";
    public const string Replaced = "replaced";
    public const string Missing = "missing";
    public const string CheckpointMismatch = "checkpoint_mismatch";

    /// <summary>Part of a file series was unreadable and reading went on with the next file, frame indices running on.</summary>
    public const string Skipped = "skipped";

    /// <summary>The changes the tailer reports in ordinary operation (others pass through as given).</summary>
    public static IReadOnlyList<string> Kinds { get; } = [Truncated, Replaced, Missing, CheckpointMismatch, Skipped];

    /// <summary>
    /// Whether reading starts over at frame 0 after this change, so frame detectors must forget the run: true for a
    /// truncated, replaced or mismatched file; not for <see cref="Missing"/> (the tailer waits for the file, and what
    /// comes back is reported as replaced) or <see cref="Skipped"/> (the series goes on).
    /// </summary>
    public static bool StartsOver(string kind) =>
        !string.Equals(kind, Missing, StringComparison.OrdinalIgnoreCase) && !string.Equals(kind, Skipped, StringComparison.OrdinalIgnoreCase);

    public RunEvent FileChanged(string kind, string message, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(kind)) throw new ArgumentException($"a file change needs a kind ({string.Join(", ", Kinds)})", nameof(kind));
        kind = kind.Trim().ToLowerInvariant();
        return new RunEvent
        {
            RunId = runId,
            Kind = RunEventKinds.Restart,
            Message = $"trajectory file {kind}: {message}",
            Labels = new Dictionary<string, string> { ["change"] = kind },
            At = at,
        };
    }
}
