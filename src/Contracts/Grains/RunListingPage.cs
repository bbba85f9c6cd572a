namespace StreamMonitor.Contracts.Grains;

/// <summary>One page of the registry's runs, in run-id order; <see cref="Next"/> is the cursor for the following page, null on the last.</summary>
[GenerateSerializer, Immutable]
public sealed record RunListingPage
{
    [Id(0)] public required IReadOnlyList<RunListing> Runs { get; init; }
    [Id(1)] public string? Next { get; init; }

    /// <summary>Runs that match the query in all (every page).</summary>
    [Id(2)] public int Total { get; init; }
}
