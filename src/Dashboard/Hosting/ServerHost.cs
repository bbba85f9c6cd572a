using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamMonitor.Dashboard.Api;
using StreamMonitor.Monitoring;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using StreamMonitor.Grains.Hosting;
using StreamMonitor.Dashboard.Security;
using StreamMonitor.Dashboard.Live;
using StreamMonitor.Dashboard.Web;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>
/// The server: a silo (by default the embedded one, with grain state in a SQLite file and no external server; with
/// <see cref="ServerOptions.Redis"/>, one silo of a Redis-backed cluster) and Kestrel serving the runs API, on 127.0.0.1
/// unless <see cref="SecurityOptions.ListenAddress"/> says otherwise, behind <see cref="ServerSecurity"/>.
/// </summary>
public static class ServerHost
{
    /// <param name="configureSilo">More silo configuration, after StreamMonitor's own (tests add grain call filters here).</param>
    public static WebApplication Create(ServerOptions options, Action<ISiloBuilder>? configureSilo = null)
    {
        options.Validate();
        Directory.CreateDirectory(options.DataDirectory);
        var security = ServerSecurity.Prepare(options.Security, options.DataDirectory);
        // Reloading appsettings.json on change would cost an inotify instance, of which the tailers need every one.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.ConfigureKestrel(kestrel => security.Listen(kestrel, options.Port));
        // Orleans and Polly log every placement and retry at Information; keep the console for what matters.
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning)
            // Start-up notes on the GC mode and the one-second reminder period this server uses on purpose.
            .AddFilter("Orleans.Runtime.Silo", LogLevel.Error).AddFilter("Orleans.Hosting.ReminderOptionsValidator", LogLevel.Error).AddFilter("Polly", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.Configure<JsonOptions>(json => ContractJson.Configure(json.SerializerOptions));
        builder.UseOrleans(silo =>
        {
            silo.AddStreamMonitor(options.Silo);
            // Failure detection is tunable from configuration (Orleans__Membership__ProbeTimeout=00:00:02, ...).
            silo.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"));
            configureSilo?.Invoke(silo);
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddHostedService<StartupResumer>();
        builder.Services.AddHostedService<ConfiguredRuns>();
        builder.Services.AddHostedService<DirectoryWatcher>();
        builder.Services.AddSignalR().AddJsonProtocol(json => ContractJson.Configure(json.PayloadSerializerOptions));
        builder.Services.AddSingleton<LiveClients>();
        builder.Services.AddHostedService<LiveFeed>();
        builder.Services.AddAlerts(options);
        builder.Services.AddMetrics(options);
        security.AddServices(builder.Services);
        var app = builder.Build();
        security.Use(app, options.Port);
        app.MapSessionApi();
        app.MapAuditApi();
        app.MapRunsApi();
        app.MapHistoryApi();
        app.MapStructureApi();
        app.MapHub<RunsHub>(RunsHub.Path);
        app.MapDashboardPage();
        app.MapAlertsApi();
        app.MapCampaignsApi();
        return app;
    }
}
