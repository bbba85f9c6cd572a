using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>
/// <c>GET /api/runs/{id}/structure</c> of a real <c>serve</c>, on a Lennard-Jones quench that LAMMPS runs while the
/// server follows it: the seed crystal's largest cluster and its surroundings, as the contract says.
/// </summary>
[Trait("Category", "Slow")]
public sealed class StructureApiTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_live_runs_structure_is_its_latest_frames_largest_cluster_with_its_surroundings()
    {
        var dump = _temp.File("live.lammpstrj");
        using var server = await ServerProcess.StartAsync(_http, _temp.File("data"));
        string runs = server.Api;
        Assert.Equal(HttpStatusCode.Created, (await _http.PostAsJsonAsync(runs, new { id = "quench", trajectory = dump, end_after_idle = 120 })).StatusCode);

        await Refused($"{runs}/elsewhere/structure", HttpStatusCode.NotFound, "no run 'elsewhere'");
        await Refused($"{runs}/quench/structure", HttpStatusCode.NotFound, "run 'quench' has no frame to show"); // its file is not there yet
        await Refused($"{runs}/quench/structure?max_atoms=0", HttpStatusCode.BadRequest, "max_atoms must be 1 to 20000, got 0");
        await Refused($"{runs}/quench/structure?max_atoms=20001", HttpStatusCode.BadRequest, "max_atoms must be 1 to 20000, got 20001");

        using var lmp = Lammps.StartQuench(_temp.Path, dump, cells: 5, runSteps: 2000, dumpEvery: 100);
        try
        {
            var structure = await server.WaitForAsync("/quench/structure", s => s["cluster_size"]!.GetValue<int>() > 0);
            ContractSchema.Check(structure.ToJsonString(), "run_structure");

            // The same frame's summary: its n_max rows are all there (500 atoms are under the default cap), flagged, and crystalline.
            long frame = structure["frame"]!.GetValue<long>();
            var detail = await server.WaitForAsync("/quench", d => d["summaries"]!.AsArray().Any(s => s!["frame"]!.GetValue<long>() == frame));
            var summary = detail["summaries"]!.AsArray().Single(s => s!["frame"]!.GetValue<long>() == frame)!;
            int nMax = summary["n_max"]!.GetValue<int>();
            var inCluster = Values<bool>(structure, "in_cluster");
            Assert.Equal(nMax, structure["cluster_size"]!.GetValue<int>());
            Assert.Equal(nMax, inCluster.Count(c => c));
            Assert.Equal(500, structure["rows_in_frame"]!.GetValue<int>());
            Assert.False(structure["truncated"]!.GetValue<bool>());
            Assert.Equal(4000, structure["cap"]!.GetValue<int>());
            Assert.Equal(structure["rows_in_shell"]!.GetValue<int>(), inCluster.Length);
            Assert.Equal(summary["largest_center"]!.AsArray().Select(c => c!.GetValue<double>()), Values<double>(structure, "center"));
            var classes = Values<string>(structure, "classes");
            var crystalline = Values<string>(structure, "crystalline_classes");
            var classIndex = Values<int>(structure, "class_index");
            Assert.Equal(inCluster.Length, classIndex.Length);
            Assert.All(Enumerable.Range(0, inCluster.Length).Where(i => inCluster[i]), i => Assert.Contains(classes[classIndex[i]], crystalline));

            // Positions are around the centre, each the nearest image: within half a box of it.
            double half = structure["box"]!["lengths"]!.AsArray().Min(l => l!.GetValue<double>()) / 2;
            foreach (var axis in new[] { "x", "y", "z" })
            {
                var values = Values<double>(structure, axis);
                Assert.Equal(inCluster.Length, values.Length);
                Assert.All(values, v => Assert.InRange(Math.Abs(v), 0, half + 1e-3));
            }

            // A small cap: the cluster's rows first, flagged as such.
            var capped = JsonNode.Parse(await _http.GetStringAsync($"{runs}/quench/structure?max_atoms=50"))!;
            ContractSchema.Check(capped.ToJsonString(), "run_structure");
            Assert.Equal(50, capped["cap"]!.GetValue<int>());
            Assert.Equal(50, Values<double>(capped, "x").Length);
            Assert.True(capped["truncated"]!.GetValue<bool>());
            Assert.Equal(Math.Min(50, capped["cluster_size"]!.GetValue<int>()), Values<bool>(capped, "in_cluster").Count(c => c));
        }
        finally
        {
            if (!lmp.HasExited) lmp.Kill();
        }
    }

    private async Task Refused(string url, HttpStatusCode status, string error)
    {
        var answer = await _http.GetAsync(url);
        Assert.Equal(status, answer.StatusCode);
        var json = await answer.Content.ReadAsStringAsync();
        ContractSchema.Check(json, "error");
        Assert.Contains(error, JsonNode.Parse(json)!["error"]!.GetValue<string>());
    }

    private static T[] Values<T>(JsonNode node, string name) => node[name]!.AsArray().Select(v => v!.GetValue<T>()).ToArray();
}
