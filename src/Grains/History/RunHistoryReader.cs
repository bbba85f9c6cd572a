using System.Runtime.CompilerServices;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.History;

/// <summary>
/// Reads a run's updates complete up to its latest: the durable history (<see cref="IRunHistoryGrain"/>), then the updates
/// the run keeps (<see cref="IRunGrain.GetUpdates"/>) that the history does not hold yet, so a reader can follow the run's
/// stream from the last sequence it got with no gap.
/// </summary>
public sealed class RunHistoryReader(IGrainFactory grains)
{
    /// <summary>Updates per history page.</summary>
    public const int PageSize = 1024;

    /// <summary>The run's summaries for a chart and its events (see <see cref="IRunHistoryGrain.GetSeries"/>).</summary>
    public async Task<RunSeries> SeriesAsync(string runId, RunSeriesQuery query) =>
        await grains.GetGrain<IRunHistoryGrain>(runId).GetSeries(query, await KeptAsync(runId, 0));

    /// <summary>
    /// Every update of <paramref name="type"/> (<see cref="RunUpdate.SummaryType"/>, ...; null for all) in sequence order,
    /// a page at a time, so a download of a long run is never all in memory.
    /// </summary>
    public IAsyncEnumerable<RunUpdate> ReadAsync(string runId, string? type, CancellationToken cancellationToken = default) =>
        ReadAsync(runId, type, 0, cancellationToken);

    /// <summary>Like <see cref="ReadAsync(string, string?, CancellationToken)"/>, from the update after sequence <paramref name="after"/>.</summary>
    public async IAsyncEnumerable<RunUpdate> ReadAsync(string runId, string? type, long after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The run's kept updates first: the history only grows meanwhile, so the two overlap rather than leave a gap.
        var kept = await KeptAsync(runId, after);
        var history = grains.GetGrain<IRunHistoryGrain>(runId);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await history.Read(after, PageSize, type);
            foreach (var update in page.Updates) yield return update;
            after = page.ScannedTo;
            if (page.IsLast) break;
        }
        foreach (var update in kept.Updates)
            if (update.Sequence > after && (type is null || update.Type == type)) yield return update;
    }

    private Task<RunUpdatePage> KeptAsync(string runId, long after) => grains.GetGrain<IRunGrain>(runId).GetUpdates(after, int.MaxValue);
}
