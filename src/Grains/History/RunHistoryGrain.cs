using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.History;

/// <summary>
/// A run's full history of updates, in <see cref="RunHistoryOptions.ChunkSize"/>-update chunks
/// (<see cref="RunHistoryChunkGrain"/>), persisted in the runs' storage (<see cref="RunGrain.StorageName"/>). Appends go
/// to the last chunk until it is full; the index is written only when a chunk is added. Full chunks never change, so the
/// ones read are cached (the latest <see cref="RunHistoryOptions.CachedChunks"/>).
/// </summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed class RunHistoryGrain(
    [PersistentState(RunHistoryGrain.StateName, RunGrain.StorageName)] IPersistentState<RunHistoryState> state,
    IOptions<RunHistoryOptions> options,
    ILogger<RunHistoryGrain> logger) : Grain, IRunHistoryGrain
{
    public const string StateName = "run-history";

    /// <summary>Chunks one <see cref="Read"/> loads at most, so that a read of a sparse type stays short.</summary>
    private const int ChunksPerRead = 16;

    /// <summary>Chunks read at once.</summary>
    private const int ParallelReads = 16;

    private readonly OrderedDictionary<int, RunUpdate[]> _cache = new();

    private List<RunHistoryChunkInfo> Chunks => state.State.Chunks;

    private string RunId => this.GetPrimaryKeyString();

    private long LastSequence
    {
        get
        {
            for (int n = Chunks.Count - 1; n >= 0; n--)
                if (Chunks[n].Count > 0) return Chunks[n].LastSequence;
            return 0;
        }
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Chunks.Count > 0) Chunks[^1] = await Chunk(Chunks.Count - 1).GetInfo();
    }

    public async Task<long> Append(Immutable<RunUpdate[]> updates)
    {
        long last = LastSequence;
        var fresh = new List<RunUpdate>();
        foreach (var update in updates.Value)
        {
            if (update.Sequence <= last) continue;
            fresh.Add(update);
            last = update.Sequence;
        }
        if (fresh.Count == 0) return last;
        if (LastSequence is var held and > 0 && fresh[0].Sequence > held + 1)
            logger.LogWarning("run {RunId}: its history misses updates {From} to {To}", RunId, held + 1, fresh[0].Sequence - 1);

        int size = Math.Max(1, options.Value.ChunkSize);
        for (int i = 0; i < fresh.Count;)
        {
            if (Chunks.Count == 0 || Chunks[^1].Count >= size) await AddChunkAsync();
            int n = Chunks.Count - 1;
            var batch = fresh.GetRange(i, Math.Min(size - Chunks[n].Count, fresh.Count - i));
            Chunks[n] = await Chunk(n).Append(batch.ToArray().AsImmutable());
            i += batch.Count;
        }
        return LastSequence;
    }

    public Task<long> GetLastSequence() => Task.FromResult(LastSequence);

    public async Task<RunHistoryPage> Read(long after, int limit, string? type)
    {
        limit = Math.Clamp(limit, 1, IRunHistoryGrain.MaxPage);
        var found = new List<RunUpdate>();
        long scanned = after;
        int loaded = 0;
        for (int n = SortedLists.FirstAfter(Chunks, c => c.Count > 0 && c.LastSequence <= after); n < Chunks.Count && loaded < ChunksPerRead; n++)
        {
            var info = Chunks[n];
            if (info.Count == 0) continue;
            if (info.CountOf(type) > 0)
            {
                loaded++;
                foreach (var update in await ReadChunkAsync(n))
                {
                    if (update.Sequence <= after) continue;
                    if (type is null || update.Type == type)
                    {
                        if (found.Count == limit) return Page(found, scanned);
                        found.Add(update);
                    }
                    scanned = update.Sequence;
                }
            }
            scanned = Math.Max(scanned, info.LastSequence);
        }
        return Page(found, scanned);
    }

    public async Task<RunUpdate[]> ReadLast(long through, int count, string? type)
    {
        count = Math.Clamp(count, 0, IRunHistoryGrain.MaxPage);
        var parts = new List<RunUpdate[]>();
        for (int n = Chunks.Count - 1, found = 0; n >= 0 && found < count; n--)
        {
            if (Chunks[n].CountOf(type) == 0 || Chunks[n].FirstSequence > through) continue;
            var matching = (await ReadChunkAsync(n)).Where(u => u.Sequence <= through && (type is null || u.Type == type)).ToArray();
            var part = matching[Math.Max(0, matching.Length - (count - found))..];
            parts.Add(part);
            found += part.Length;
        }
        parts.Reverse();
        return [.. parts.SelectMany(part => part)];
    }

    public async Task<RunSeries> GetSeries(RunSeriesQuery query, RunUpdatePage kept)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(kept);
        if (query.Problem() is { } problem) throw new ArgumentException(problem, nameof(query));
        var summaries = new List<RunUpdate>();
        var events = new List<RunUpdate>();
        void Collect(RunUpdate update)
        {
            if (update.Summary is { } s && query.Covers(s.Step)) summaries.Add(update);
            else if (update.Event is { } e && query.Covers(e.Step)) events.Add(update);
        }

        var wanted = Enumerable.Range(0, Chunks.Count)
            .Where(n => Chunks[n].Summaries + Chunks[n].Events > 0 && Chunks[n].MayCover(query.FromStep, query.ToStep))
            .ToArray();
        foreach (var chunk in await ReadChunksAsync(wanted))
            foreach (var update in chunk) Collect(update);
        long held = LastSequence;
        foreach (var update in kept.Updates)
            if (update.Sequence > held) Collect(update);

        var selected = SummaryDownsampler.Select(summaries, query.Points);
        return new RunSeries
        {
            RunId = RunId,
            LastSequence = Math.Max(held, kept.LastSequence),
            TotalSummaries = summaries.Count,
            Downsampled = selected.Count < summaries.Count,
            Updates = selected,
            Events = events,
        };
    }

    public async Task Clear()
    {
        for (int start = 0; start < Chunks.Count; start += ParallelReads)
            await Task.WhenAll(Enumerable.Range(start, Math.Min(ParallelReads, Chunks.Count - start)).Select(n => Chunk(n).Clear()));
        if (state.RecordExists) await state.ClearStateAsync();
        state.State = new RunHistoryState();
        _cache.Clear();
    }

    private RunHistoryPage Page(List<RunUpdate> found, long scanned) =>
        new() { Updates = found, ScannedTo = scanned, LastSequence = LastSequence };

    /// <summary>Adds an empty chunk to the index, and writes the index, before anything is written to the chunk.</summary>
    private async Task AddChunkAsync()
    {
        Chunks.Add(RunHistoryChunkInfo.Empty);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            Chunks.RemoveAt(Chunks.Count - 1);
            throw;
        }
    }

    private async Task<RunUpdate[][]> ReadChunksAsync(IReadOnlyList<int> numbers)
    {
        var chunks = new RunUpdate[numbers.Count][];
        for (int start = 0; start < numbers.Count; start += ParallelReads)
        {
            var read = await Task.WhenAll(numbers.Skip(start).Take(ParallelReads).Select(ReadChunkAsync));
            read.CopyTo(chunks, start);
        }
        return chunks;
    }

    /// <summary>A chunk's updates; a full one (every chunk but the last) from the cache when it is there.</summary>
    private async Task<RunUpdate[]> ReadChunkAsync(int number)
    {
        bool full = number < Chunks.Count - 1;
        if (full && _cache.Remove(number, out var cached))
        {
            _cache.Add(number, cached); // the most recently used go last
            return cached;
        }
        var updates = (await Chunk(number).Read()).Value;
        if (full && number < Chunks.Count - 1)
        {
            _cache.TryAdd(number, updates);
            while (_cache.Count > Math.Max(0, options.Value.CachedChunks)) _cache.RemoveAt(0);
        }
        return updates;
    }

    private IRunHistoryChunkGrain Chunk(int number) => GrainFactory.GetGrain<IRunHistoryChunkGrain>(IRunHistoryChunkGrain.KeyOf(RunId, number));
}
