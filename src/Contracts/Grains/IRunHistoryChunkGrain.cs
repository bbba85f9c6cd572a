using Orleans.Concurrency;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Contracts.Grains;

/// <summary>
/// One bounded piece of a run's history (key "{runId}/{n}", n from 0), persisted on its own so that appending to a
/// long run's history writes only the chunk that grows. Only <see cref="IRunHistoryGrain"/> uses it.
/// </summary>
public interface IRunHistoryChunkGrain : IGrainWithStringKey
{
    /// <summary>The key of chunk <paramref name="number"/> of run <paramref name="runId"/>.</summary>
    public static string KeyOf(string runId, int number) => $"{runId}/{number}";

    /// <summary>Adds the updates after the chunk's last sequence, persists the chunk, and says what it holds.</summary>
    Task<RunHistoryChunkInfo> Append(Immutable<RunUpdate[]> updates);

    Task<RunHistoryChunkInfo> GetInfo();

    /// <summary>The chunk's updates in sequence order.</summary>
    Task<Immutable<RunUpdate[]>> Read();

    /// <summary>Deletes the chunk from storage.</summary>
    Task Clear();
}
