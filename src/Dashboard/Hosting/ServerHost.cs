using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamMonitor.Dashboard.Api;
using StreamMonitor.Grains.Runs;
using StreamMonitor.Grains.Storage;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>
/// The embedded default server: one localhost silo with grain state in a SQLite file, and Kestrel on 127.0.0.1 serving
/// the runs API. No external server is needed.
/// </summary>
public static class ServerHost
{
    public static WebApplication Create(ServerOptions options)
    {
        options.Validate();
        Directory.CreateDirectory(options.DataDirectory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        // Orleans and Polly log every placement and retry at Information; keep the console for what matters.
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.Configure<JsonOptions>(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: options.SiloPort, gatewayPort: options.GatewayPort);
            silo.AddSqliteGrainStorage(RunGrain.StorageName, storage => storage.Path = options.DatabasePath);
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddHostedService<RunResumer>();
        builder.Services.AddHostedService<DirectoryWatcher>();
        var app = builder.Build();
        app.MapRunsApi();
        return app;
    }
}
