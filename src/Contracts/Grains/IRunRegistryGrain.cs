using StreamMonitor.Monitoring;

namespace StreamMonitor.Contracts.Grains;

/// <summary>
/// Every registered run and its latest status (one grain, key <see cref="Key"/>), kept up to date by the runs: what
/// <c>GET /api/runs</c> lists in one call without waking any run, and what a starting silo wakes so live runs resume.
/// </summary>
public interface IRunRegistryGrain : IGrainWithStringKey
{
    public const string Key = "all";

    /// <summary>The most runs one page holds.</summary>
    public const int MaxPage = 1000;

    /// <summary>Adds or replaces a run's entry.</summary>
    Task Update(RunListing listing);

    /// <summary>Forgets a run (purged).</summary>
    Task Forget(string runId);

    Task<RunListing?> Get(string runId);

    /// <summary>
    /// Runs in id order after <paramref name="after"/> (exclusive; null from the start), in <paramref name="state"/> (null:
    /// every state but removed), at most <paramref name="limit"/>.
    /// </summary>
    Task<RunListingPage> List(RunState? state, string? after, int limit);

    /// <summary>The ids of the runs that are live (not ended), to wake after a restart.</summary>
    Task<IReadOnlyList<string>> Live();
}
