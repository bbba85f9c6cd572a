using StreamMonitor.Core;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using StreamMonitor.Grains.Storage;

using StreamMonitor.TestSupport;

namespace StreamMonitor.Grains.Tests.Storage;

/// <summary>
/// A real single localhost silo, in process, with SQLite grain storage "sqlite" (and optionally "broken"), or under
/// the name a grain under test uses.
/// </summary>
internal sealed class SqliteSilo : IAsyncDisposable
{
    public const string StorageName = "sqlite";
    public const string BrokenStorageName = "broken";

    private readonly IHost _host;

    private SqliteSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host.Services;

    public IGrainStorage Storage(string name = StorageName) => _host.Services.GetRequiredKeyedService<IGrainStorage>(name);

    public static async Task<SqliteSilo> StartAsync(string databasePath, string? brokenDatabasePath = null, string storageName = StorageName)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: LoopbackPorts.Next(), gatewayPort: LoopbackPorts.Next(), serviceId: "sqlite-storage-tests", clusterId: "sqlite-storage-tests");
            silo.AddSqliteGrainStorage(storageName, options => options.Path = databasePath);
            if (brokenDatabasePath is not null)
            {
                silo.AddSqliteGrainStorage(BrokenStorageName, options => options.Path = brokenDatabasePath);
            }
        });
        var host = builder.Build();
        await host.StartAsync();
        return new SqliteSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(cts.Token);
        _host.Dispose();
    }

    /// <summary>Opens the database file outside Orleans, to check what the provider wrote.</summary>
    public static SqliteConnection OpenDirect(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static long Scalar(string databasePath, string sql)
    {
        using var connection = OpenDirect(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
