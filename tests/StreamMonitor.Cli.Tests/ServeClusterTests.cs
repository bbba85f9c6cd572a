using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>
/// Two <c>serve</c> processes forming one cluster through a real <c>redis-server</c>: when the process hosting a run is
/// killed while the run's file is still being written, the run resumes on the other one from its checkpoint.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ServeClusterTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task KillingTheSiloThatHostsARunResumesItOnTheOtherWithNoFrameLostOrRecordedTwice()
    {
        string[] cluster = ServerProcess.ClusterArguments(RedisTestServer.UniqueName("failover"));
        using var a = await ServerProcess.StartAsync(_http, _temp.File("a"), environment: ServerProcess.FastFailureDetection, extra: cluster);
        using var b = await ServerProcess.StartAsync(_http, _temp.File("b"), environment: ServerProcess.FastFailureDetection, extra: cluster);

        var dump = _temp.File("live.lammpstrj");
        using var lmp = LiveQuench.Start(_temp.Path, dump); // a frame every ~0.5 s until halted
        var registered = await _http.PostAsJsonAsync(a.Api, new { id = "live", trajectory = dump, checkpoint_every = 1 });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        // Mid-stream: some frames recorded, more still to be written.
        var before = await a.WaitForAsync("/live", r => r["status"]!["frames_processed"]!.GetValue<int>() >= 5);
        var (victim, survivor) = a.Hosts(before["status"]!) ? (a, b) : (b, a);
        Assert.True(victim.Hosts(before["status"]!));
        victim.Process.Kill(entireProcessTree: true);
        await victim.Process.WaitForExitAsync();
        Assert.False(lmp.HasExited, $"lmp {lmp.State} before the silo was killed");

        int frames = await lmp.HaltAsync();
        var after = await survivor.WaitForAsync("/live", r => r["status"]!["frames_processed"]!.GetValue<int>() >= frames, TimeSpan.FromMinutes(3));

        var status = after["status"]!;
        Assert.True(survivor.Hosts(status), status.ToJsonString());
        Assert.Equal(frames, status["frames_processed"]!.GetValue<int>());
        Assert.Equal(frames - 1, status["last_frame"]!.GetValue<int>());
        Assert.Equal(new FileInfo(dump).Length, status["checkpoint"]!["byte_offset"]!.GetValue<long>());
        // Every frame recorded once, in order, across the two silos.
        Assert.Equal(Enumerable.Range(0, frames).Select(i => (long)i), after["summaries"]!.AsArray().Select(s => s!["frame"]!.GetValue<long>()));
        await survivor.StopAsync();
    }
}
