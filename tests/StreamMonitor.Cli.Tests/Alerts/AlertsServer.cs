using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StreamMonitor.Dashboard.Hosting;
using StreamMonitor.Grains.Alerts;

namespace StreamMonitor.Cli.Tests.Alerts;

/// <summary>A server in this process for the alerts tests, its webhook retries quick, and the waiting its tests do.</summary>
internal sealed class AlertsServer : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly WebApplication _app;

    private AlertsServer(WebApplication app, string root) => (_app, Root) = (app, root);

    public string Root { get; }

    public static async Task<AlertsServer> StartAsync(ServerOptions options)
    {
        var app = ServerHost.Create(options, silo => silo.Services.Configure<AlertEngineOptions>(o =>
        {
            o.FirstRetryDelay = TimeSpan.FromMilliseconds(50);
            o.CheckPeriod = TimeSpan.FromSeconds(1);
        }));
        await app.StartAsync();
        return new AlertsServer(app, $"http://127.0.0.1:{options.Port}");
    }

    /// <summary>Registers a run through the API (the caller needs the admin role).</summary>
    public async Task RegisterAsync(HttpClient client, string id, string trajectory)
    {
        var response = await client.PostAsJsonAsync(Root + "/api/runs", new { id, trajectory, end_after_idle = 1 });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GETs <paramref name="path"/> until <paramref name="done"/> holds for the answer, and returns it.</summary>
    public async Task<JsonNode> WaitForAsync(HttpClient client, string path, Func<JsonNode, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = JsonNode.Parse(await client.GetStringAsync(Root + path))!;
            if (done(answer)) return answer;
            Assert.True(clock.Elapsed < Patience, $"{path} did not come to what was expected: {answer.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    public static Task UntilAsync(Func<bool> done, string what) => UntilAsync(done, () => Task.FromResult(what));

    /// <summary>Waits until <paramref name="done"/> holds; <paramref name="what"/> says, when it never does, what went wrong (from the servers as they are then).</summary>
    public static async Task UntilAsync(Func<bool> done, Func<Task<string>> what)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > Patience) Assert.Fail(await what());
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
