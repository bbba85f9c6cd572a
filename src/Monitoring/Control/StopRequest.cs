using System.Diagnostics.CodeAnalysis;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// Why and on whose authority a run is to be stopped, and the values its strategy's templates may use
/// (<c>{jobid}</c>, <c>{pid}</c>, <c>{dir}</c>, ...). Every request names who asked, so every stop can be audited.
/// </summary>
public sealed record StopRequest : IPlaceholderValues
{
    /// <summary>The placeholder that always holds <see cref="RunId"/>.</summary>
    public const string RunIdPlaceholder = "run_id";

    /// <summary>The placeholder that always holds <see cref="Reason"/>.</summary>
    public const string ReasonPlaceholder = "reason";

    /// <summary>The placeholder that always holds <see cref="RequestedBy"/>.</summary>
    public const string RequestedByPlaceholder = "by";

    /// <summary>The <see cref="Reason"/> of a stop a person asked for, as opposed to a rule firing on an event.</summary>
    public const string OperatorReason = "operator";

    public required string RunId { get; init; }

    /// <summary>What triggered the stop: an event kind (<c>nucleation</c>, <c>commitment</c>, ...) or <see cref="OperatorReason"/>.</summary>
    public required string Reason { get; init; }

    /// <summary>Who or what asked for it, e.g. <c>rule:nucleation</c> or <c>user:alice</c>.</summary>
    public required string RequestedBy { get; init; }

    /// <summary>The address the request came from, when it came over the network; recorded with the stop.</summary>
    public string? From { get; init; }

    /// <summary>
    /// Values for <c>{name}</c> placeholders in a strategy's path, pid or command (job id, pid, run directory, trajectory
    /// path, ...). Names match case-insensitively. <see cref="RunIdPlaceholder"/>, <see cref="ReasonPlaceholder"/> and
    /// <see cref="RequestedByPlaceholder"/> always come from the fields above and cannot be overridden here, so an
    /// audit line and the command it describes cannot disagree.
    /// </summary>
    public IReadOnlyDictionary<string, string> Placeholders { get; init; } = new Dictionary<string, string>();

    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Every placeholder name a template may use with this request, built-ins first.</summary>
    public IEnumerable<string> PlaceholderNames =>
        new[] { RunIdPlaceholder, ReasonPlaceholder, RequestedByPlaceholder }.Concat(Placeholders.Keys.Where(k => !IsBuiltIn(k)));

    /// <summary>The value of a placeholder, or false when the request has none by that name.</summary>
    public bool TryGetPlaceholder(string name, [NotNullWhen(true)] out string? value)
    {
        value = name.ToLowerInvariant() switch
        {
            RunIdPlaceholder => RunId,
            ReasonPlaceholder => Reason,
            RequestedByPlaceholder => RequestedBy,
            _ => Placeholders.TryGetValue(name, out var exact)
                ? exact
                : Placeholders.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value,
        };
        return value is not null;
    }

    private static bool IsBuiltIn(string name) =>
        string.Equals(name, RunIdPlaceholder, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, ReasonPlaceholder, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, RequestedByPlaceholder, StringComparison.OrdinalIgnoreCase);
}
