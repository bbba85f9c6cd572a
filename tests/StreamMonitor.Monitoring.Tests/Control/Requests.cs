using StreamMonitor.Monitoring.Control;

namespace StreamMonitor.Monitoring.Tests.Control;

/// <summary>Stop requests as a rule would make them, with the placeholders a test needs.</summary>
internal static class Requests
{
    public static StopRequest For(string runId = "run-7", params (string Name, string Value)[] placeholders) => new()
    {
        RunId = runId,
        Reason = "nucleation",
        RequestedBy = "rule:nucleation",
        Placeholders = placeholders.ToDictionary(p => p.Name, p => p.Value),
    };
}
