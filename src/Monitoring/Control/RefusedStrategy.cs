namespace StreamMonitor.Monitoring.Control;

/// <summary>A strategy that cannot act and says why in every outcome (a run whose stop command the server no longer defines).</summary>
internal sealed class RefusedStrategy(string kind, string description, string reason) : IStopStrategy
{
    public Task<StopOutcome> StopAsync(StopRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(StopOutcome.Failed(kind, description, reason));
}
