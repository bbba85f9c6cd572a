using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace StreamMonitor.Cli.Runs;

/// <summary>
/// <c>streammonitor runs list|show|stop|rm</c>: the runs of a running server, through its HTTP API (so with its
/// authentication and roles, and recorded in its audit log like any other caller).
/// </summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "The server's URL (default: STREAMMONITOR_SERVER or http://127.0.0.1:5080).", DefaultValueFactory = _ => ServerClient.DefaultServer, Recursive = true };
        var apiKey = new Option<string?>("--api-key") { Description = "An API key for a server with credentials (default: STREAMMONITOR_API_KEY).", Recursive = true };
        var json = new Option<bool>("--json") { Description = "Print the server's JSON answer as it is.", Recursive = true };
        var id = new Argument<string>("ID") { Description = "The run's id." };

        var state = new Option<string?>("--state") { Description = "Only runs in this state (following, stopped, finished, removed, ...)." };
        var list = new Command("list", "List the server's runs (every page), with their state and progress.") { state };
        list.SetAction((r, ct) => Run(r, server, apiKey, async client =>
        {
            var runs = new JsonArray();
            string? after = null;
            do
            {
                var page = await client.GetAsync($"/api/runs?limit=1000{(r.GetValue(state) is { } s ? "&state=" + Uri.EscapeDataString(s) : "")}{(after is null ? "" : "&after=" + Uri.EscapeDataString(after))}", ct);
                foreach (var run in page["runs"]!.AsArray()) runs.Add(run!.DeepClone());
                after = page["next"]?.GetValue<string>();
            }
            while (after is not null);
            if (r.GetValue(json)) return runs;
            Console.WriteLine($"{"RUN",-32} {"STATE",-10} {"FRAMES",8} {"STEP",10}  REASON");
            foreach (var run in runs)
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-32} {1,-10} {2,8} {3,10}  {4}",
                    run!["run_id"], run["state"], run["frames_processed"], run["last_step"]?.ToString() ?? "-", run["reason"]));
            return null;
        }, json));

        var show = new Command("show", "Show one run: status, latest summary, events.") { id };
        show.SetAction((r, ct) => Run(r, server, apiKey, async client =>
        {
            var run = await client.GetAsync(ServerClient.RunPath(r.GetValue(id)!), ct);
            if (r.GetValue(json)) return run;
            var status = run["status"]!;
            Console.WriteLine($"{status["run_id"]}: {status["state"]} ({status["reason"]}), {status["frames_processed"]} frames, trajectory {status["config"]?["trajectory_path"]}");
            if (run["summaries"]!.AsArray().LastOrDefault() is { } last)
                Console.WriteLine($"  frame {last["frame"]} step {last["step"]}: n_max {last["n_max"]}, crystalline {last["crystalline_fraction"]}");
            foreach (var e in run["events"]!.AsArray()) Console.WriteLine($"  event {e!["kind"]} at frame {e["frame"]}: {e["message"]}");
            return null;
        }, json));

        var stop = new Command("stop", "Stop a run through the stop its registration names (operator role).") { id };
        stop.SetAction((r, ct) => Run(r, server, apiKey, async client =>
        {
            var e = await client.PostAsync(ServerClient.RunPath(r.GetValue(id)!, "/stop"), ct);
            if (r.GetValue(json)) return e;
            Console.WriteLine($"{r.GetValue(id)}: {e["message"]} ({e["labels"]?["outcome"]})");
            return e["labels"]?["outcome"]?.GetValue<string>() == "failed" ? throw new CliException($"the stop of {r.GetValue(id)} failed: {e["labels"]?["error"]}", CliErrors.DataError) : null;
        }, json));

        var purge = new Option<bool>("--purge") { Description = "Also delete the run's recorded history; the id is then forgotten." };
        var rm = new Command("rm", "Take a run off the server: it is no longer followed (its engine is not stopped). Admin role.") { id, purge };
        rm.SetAction((r, ct) => Run(r, server, apiKey, async client =>
        {
            var status = await client.DeleteAsync(ServerClient.RunPath(r.GetValue(id)!, r.GetValue(purge) ? "?purge=true" : ""), ct);
            if (r.GetValue(json)) return status;
            Console.WriteLine($"{status["run_id"]}: {(r.GetValue(purge) ? "purged" : status["state"])} ({status["reason"]})");
            return null;
        }, json));

        return new Command("runs", "The runs of a running server: list, show, stop, rm.") { server, apiKey, json, list, show, stop, rm };
    }

    private static Task<int> Run(ParseResult result, Option<string> server, Option<string?> apiKey, Func<ServerClient, Task<JsonNode?>> act, Option<bool> json) =>
        CliErrors.RunAsync(async () =>
        {
            using var client = new ServerClient(result.GetValue(server)!, result.GetValue(apiKey));
            if (await act(client) is { } answer) Console.WriteLine(answer.ToJsonString());
            return 0;
        });
}
