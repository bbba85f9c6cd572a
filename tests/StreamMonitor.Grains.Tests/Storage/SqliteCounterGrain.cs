namespace StreamMonitor.Grains.Tests.Storage;

public interface ISqliteCounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    Task<int> Get();

    Task<string?> GetETag();

    Task Clear();
}

/// <summary>A broken-storage twin of <see cref="ISqliteCounterGrain"/>, whose storage points at a corrupted file.</summary>
public interface IBrokenSqliteCounterGrain : IGrainWithStringKey
{
    Task<int> Get();
}

[GenerateSerializer]
public sealed class SqliteCounterState
{
    [Id(0)]
    public int Value { get; set; }
}

public sealed class SqliteCounterGrain([PersistentState("counter", SqliteSilo.StorageName)] IPersistentState<SqliteCounterState> counter)
    : Grain, ISqliteCounterGrain
{
    public async Task<int> Increment()
    {
        counter.State.Value++;
        await counter.WriteStateAsync();
        return counter.State.Value;
    }

    public Task<int> Get() => Task.FromResult(counter.State.Value);

    public Task<string?> GetETag() => Task.FromResult(counter.Etag);

    public Task Clear() => counter.ClearStateAsync();
}

public sealed class BrokenSqliteCounterGrain([PersistentState("counter", SqliteSilo.BrokenStorageName)] IPersistentState<SqliteCounterState> counter)
    : Grain, IBrokenSqliteCounterGrain
{
    public Task<int> Get() => Task.FromResult(counter.State.Value);
}
