namespace StreamMonitor.Dashboard.Live;

/// <summary>
/// Something to send one dashboard connection: a payload for the client method <paramref name="Method"/>. Messages with a
/// <paramref name="CoalesceKey"/> may be replaced by a newer one with the same key while they wait (a run's latest
/// summary); the others (events, status changes, alerts) are always delivered.
/// </summary>
public sealed record LiveMessage(string Method, object Payload, string? CoalesceKey = null);
