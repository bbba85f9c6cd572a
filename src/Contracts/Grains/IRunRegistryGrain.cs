namespace StreamMonitor.Contracts.Grains;

/// <summary>
/// The ids of every registered run (one grain, key <see cref="Key"/>): what <c>GET /api/runs</c> lists and what a
/// starting silo wakes up so runs resume without waiting for a call.
/// </summary>
public interface IRunRegistryGrain : IGrainWithStringKey
{
    public const string Key = "all";

    Task Add(string runId);

    Task<IReadOnlyList<string>> List();
}
