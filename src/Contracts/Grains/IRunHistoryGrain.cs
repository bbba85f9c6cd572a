using Orleans.Concurrency;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Contracts.Grains;

/// <summary>
/// The full, durable history of one run's updates (summaries, events, status changes), keyed by run id, for charts and
/// downloads: the run grain keeps only its latest updates, and appends to this grain what it has persisted. The updates
/// live in <see cref="IRunHistoryChunkGrain"/>s of a bounded size, so an append never rewrites more than the chunk it
/// fills (and the next one, when it crosses into it); this grain holds their index and caches what it reads.
/// </summary>
public interface IRunHistoryGrain : IGrainWithStringKey
{
    /// <summary>The most updates one <see cref="Read"/> returns.</summary>
    public const int MaxPage = 4096;

    /// <summary>
    /// Adds <paramref name="updates"/> (in sequence order) and returns the last sequence the history holds. Sequences it
    /// already holds are ignored, so appending the same updates again (after a re-activation or a replay) changes nothing.
    /// </summary>
    Task<long> Append(Immutable<RunUpdate[]> updates);

    /// <summary>The last sequence the history holds (0 when empty).</summary>
    Task<long> GetLastSequence();

    /// <summary>
    /// Updates after sequence <paramref name="after"/>, oldest first, at most <paramref name="limit"/>, only those of
    /// <paramref name="type"/> (<see cref="RunUpdate.SummaryType"/>, ...; null for all). The page says how far it looked
    /// (<see cref="RunHistoryPage.ScannedTo"/>): read on from there until it reaches <see cref="RunHistoryPage.LastSequence"/>.
    /// </summary>
    Task<RunHistoryPage> Read(long after, int limit, string? type);

    /// <summary>
    /// The last <paramref name="count"/> updates (at most <see cref="MaxPage"/>) up to and including sequence
    /// <paramref name="through"/>, only those of <paramref name="type"/> (null for all), oldest first: what a run that
    /// persists only the updates its history lacks keeps besides, read back when it is activated.
    /// </summary>
    Task<RunUpdate[]> ReadLast(long through, int count, string? type);

    /// <summary>
    /// The run's summaries downsampled for a chart of <see cref="RunSeriesQuery.Points"/> points, and its events: from
    /// the history, then from <paramref name="kept"/> (the run's own kept updates, read just before) what the history does
    /// not hold yet, so the answer reaches the run's latest update.
    /// </summary>
    Task<RunSeries> GetSeries(RunSeriesQuery query, RunUpdatePage kept);

    /// <summary>Deletes the history (the run was purged, or its id registered anew).</summary>
    Task Clear();
}
