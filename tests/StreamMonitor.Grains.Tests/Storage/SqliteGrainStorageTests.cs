using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using StreamMonitor.Grains.Storage;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Grains.Tests.Storage;

/// <summary>One silo shared by the tests that need no restart; its "broken" provider points at a corrupted file.</summary>
public sealed class SqliteSiloFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("streammonitor-sqlite-storage-");

    public string DatabasePath => _temp.File("state.db");

    public string BrokenDatabasePath => _temp.File("corrupted.db");

    internal SqliteSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(BrokenDatabasePath, "this is not a SQLite database, just some text long enough to be read as a header ...\n");
        Silo = await SqliteSilo.StartAsync(DatabasePath, BrokenDatabasePath);
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        _temp.Dispose();
    }
}

public sealed class SqliteGrainStorageTests(SqliteSiloFixture fixture) : IClassFixture<SqliteSiloFixture>
{
    private static readonly GrainId AnyGrain = GrainId.Create("test", "direct");

    [Fact]
    [Trait("Category", "Slow")]
    public async Task State_survives_silo_restart_in_the_same_sqlite_file()
    {
        using var temp = new TempDirectory("streammonitor-sqlite-restart-");
        string path = temp.File("nested/folder/state.db");

        await using (var silo = await SqliteSilo.StartAsync(path))
        {
            var grain = silo.Grains.GetGrain<ISqliteCounterGrain>("run-42");
            Assert.Equal(1, await grain.Increment());
            Assert.Equal(2, await grain.Increment());
            Assert.Equal(3, await grain.Increment());
        }

        Assert.True(File.Exists(path));
        Assert.Equal(1, SqliteSilo.Scalar(path, "SELECT COUNT(*) FROM GrainState WHERE StateName = 'counter'"));
        using (var connection = SqliteSilo.OpenDirect(path))
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", (string?)command.ExecuteScalar());

            // Payload: the silo's default IGrainStorageSerializer (Orleans' JSON one), stored as UTF-8 bytes.
            command.CommandText = "SELECT CAST(Payload AS TEXT) FROM GrainState";
            Assert.Contains("\"Value\":3", (string?)command.ExecuteScalar(), StringComparison.Ordinal);
        }

        await using (var silo = await SqliteSilo.StartAsync(path))
        {
            var grain = silo.Grains.GetGrain<ISqliteCounterGrain>("run-42");
            Assert.Equal(3, await grain.Get());
            Assert.Equal(4, await grain.Increment());
            Assert.Equal(0, await silo.Grains.GetGrain<ISqliteCounterGrain>("never-written").Get());
        }
    }

    [Fact]
    public async Task ClearStateAsync_removes_the_row()
    {
        var grain = fixture.Silo.Grains.GetGrain<ISqliteCounterGrain>("to-clear");
        await grain.Increment();
        await grain.Increment();
        string rows = "SELECT COUNT(*) FROM GrainState WHERE GrainId LIKE '%to-clear'";
        Assert.Equal(1, SqliteSilo.Scalar(fixture.DatabasePath, rows));
        Assert.NotNull(await grain.GetETag());

        await grain.Clear();

        Assert.Equal(0, SqliteSilo.Scalar(fixture.DatabasePath, rows));
        Assert.Equal(0, await grain.Get());
        Assert.Null(await grain.GetETag());

        // The grain can write again after a clear.
        Assert.Equal(1, await grain.Increment());
        Assert.Equal(1, SqliteSilo.Scalar(fixture.DatabasePath, rows));
    }

    [Fact]
    public async Task Stale_etag_write_throws_InconsistentStateException()
    {
        var storage = fixture.Silo.Storage();
        Assert.IsType<SqliteGrainStorage>(storage);
        var grainId = GrainId.Create("test", "stale-etag");

        var first = new GrainState<SqliteCounterState>(new SqliteCounterState { Value = 1 });
        await storage.WriteStateAsync("direct", grainId, first);
        string staleETag = first.ETag!;
        Assert.True(first.RecordExists);

        var second = new GrainState<SqliteCounterState>(new SqliteCounterState());
        await storage.ReadStateAsync("direct", grainId, second);
        Assert.Equal(1, second.State!.Value);
        Assert.Equal(staleETag, second.ETag);
        second.State.Value = 2;
        await storage.WriteStateAsync("direct", grainId, second);
        Assert.NotEqual(staleETag, second.ETag);

        // `first` still holds the old ETag: its write and clear must fail, and the stored value must be untouched.
        first.State!.Value = 99;
        var write = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("direct", grainId, first));
        Assert.Equal(second.ETag, write.StoredEtag);
        Assert.Equal(staleETag, write.CurrentEtag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("direct", grainId, first));

        // A writer that never read (no ETag) cannot overwrite an existing row either.
        var blind = new GrainState<SqliteCounterState>(new SqliteCounterState { Value = 7 });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("direct", grainId, blind));

        var check = new GrainState<SqliteCounterState>(new SqliteCounterState());
        await storage.ReadStateAsync("direct", grainId, check);
        Assert.Equal(2, check.State!.Value);
        Assert.Equal(second.ETag, check.ETag);
    }

    [Fact]
    public async Task Corrupted_database_file_gives_an_error_naming_the_file()
    {
        // Directly, through the keyed provider registered on the silo ...
        var storage = fixture.Silo.Storage(SqliteSilo.BrokenStorageName);
        var state = new GrainState<SqliteCounterState>(new SqliteCounterState());
        var direct = await Assert.ThrowsAsync<SqliteGrainStorageException>(() => storage.ReadStateAsync("counter", AnyGrain, state));
        Assert.Contains(fixture.BrokenDatabasePath, direct.Message, StringComparison.Ordinal);
        Assert.Contains("not a database", direct.Message, StringComparison.Ordinal);

        // ... and as a grain sees it: activation fails and the caller is told which file.
        var grain = fixture.Silo.Grains.GetGrain<IBrokenSqliteCounterGrain>("any");
        var viaGrain = await Assert.ThrowsAnyAsync<Exception>(() => grain.Get());
        Assert.Contains(fixture.BrokenDatabasePath, Flatten(viaGrain), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unopenable_path_gives_an_error_naming_the_file()
    {
        using var temp = new TempDirectory("streammonitor-sqlite-bad-");
        string blocker = temp.File("not-a-folder");
        await File.WriteAllTextAsync(blocker, "x");
        string path = Path.Combine(blocker, "state.db"); // its "folder" is a file
        var storage = ActivatorUtilities.CreateInstance<SqliteGrainStorage>(
            fixture.Silo.Services, "bad", new SqliteGrainStorageOptions { Path = path });

        var state = new GrainState<SqliteCounterState>(new SqliteCounterState());
        var ex = await Assert.ThrowsAsync<SqliteGrainStorageException>(() => storage.WriteStateAsync("counter", AnyGrain, state));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_grains_all_persist()
    {
        var grains = Enumerable.Range(0, 16).Select(i => fixture.Silo.Grains.GetGrain<ISqliteCounterGrain>($"concurrent-{i}")).ToArray();
        await Task.WhenAll(grains.Select(async g =>
        {
            for (int n = 0; n < 5; n++)
            {
                await g.Increment();
            }
        }));

        Assert.Equal(16, SqliteSilo.Scalar(fixture.DatabasePath, "SELECT COUNT(*) FROM GrainState WHERE GrainId LIKE '%concurrent-%'"));
        var storage = fixture.Silo.Storage();
        foreach (var g in grains)
        {
            var state = new GrainState<SqliteCounterState>(new SqliteCounterState());
            await storage.ReadStateAsync("counter", g.GetGrainId(), state);
            Assert.Equal(5, state.State!.Value);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(":memory:")]
    public void Options_without_a_usable_file_path_are_rejected(string path)
    {
        var ex = Assert.Throws<OrleansConfigurationException>(() => new SqliteGrainStorageOptions { Path = path }.Validate("sqlite"));
        Assert.Contains("'sqlite'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_reject_a_directory_and_a_non_positive_busy_timeout()
    {
        using var temp = new TempDirectory();
        Assert.Throws<OrleansConfigurationException>(() => new SqliteGrainStorageOptions { Path = temp.Path }.Validate("sqlite"));
        Assert.Throws<OrleansConfigurationException>(
            () => new SqliteGrainStorageOptions { Path = temp.File("a.db"), BusyTimeout = TimeSpan.Zero }.Validate("sqlite"));
        new SqliteGrainStorageOptions { Path = temp.File("a.db") }.Validate("sqlite");
    }

    private static string Flatten(Exception ex)
    {
        var text = new System.Text.StringBuilder();
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            text.AppendLine(e.Message);
        }

        return text.ToString();
    }
}
