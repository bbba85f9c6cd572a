using StreamMonitor.Monitoring;
using StreamMonitor.Contracts.Grains;

namespace StreamMonitor.Grains.Runs;

/// <summary>The persisted list of run ids, in registration order.</summary>
public sealed class RunRegistryGrain(
    [PersistentState("registry", RunGrain.StorageName)] IPersistentState<List<string>> runs) : Grain, IRunRegistryGrain
{
    public async Task Add(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        if (runs.State.Contains(runId)) return;
        runs.State.Add(runId);
        await runs.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(runs.State.ToArray());
}
