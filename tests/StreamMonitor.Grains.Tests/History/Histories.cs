using Microsoft.Extensions.DependencyInjection;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Grains.History;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.Tests.History;

/// <summary>What the history tests share: silos with small chunks, and reading a whole history page by page as a download does.</summary>
internal static class Histories
{
    /// <summary>Silo configuration for histories of <paramref name="size"/>-update chunks, so that a short test spans several.</summary>
    public static Action<ISiloBuilder> ChunksOf(int size) => silo => silo.Services.Configure<RunHistoryOptions>(o => o.ChunkSize = size);

    public static async Task<List<RunUpdate>> AllAsync(IRunHistoryGrain history, string? type = null, int limit = 37)
    {
        var all = new List<RunUpdate>();
        long after = 0;
        RunHistoryPage page;
        do
        {
            page = await history.Read(after, limit, type);
            Assert.True(page.Updates.Count <= limit);
            all.AddRange(page.Updates);
            after = page.ScannedTo;
        }
        while (!page.IsLast);
        return all;
    }

    public static IEnumerable<long> Sequences(long from, long to) => Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (long)i);
}
