using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Dashboard.Security;
using StreamMonitor.Grains.History;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Dashboard.Api;

/// <summary>
/// A run's full history, for charts and downloads (viewer role): <c>/series</c> gives its summaries downsampled to a
/// budget of points with every spike kept, and its events (<see cref="RunSeries"/>); <c>/summaries.csv</c>,
/// <c>/summaries.jsonl</c> and <c>/events.json</c> stream all of them as attachments. All reach the run's latest update.
/// Refusals as in <see cref="RunsApi"/>: 404 for an unknown run, 400 for a bad parameter.
/// </summary>
public static class HistoryApi
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        var run = app.MapGroup("/api/runs/{id}").RequireAuthorization(Policies.Viewer);
        run.MapGet("/series", async (string id, int? points, [FromQuery(Name = "from_step")] long? fromStep, [FromQuery(Name = "to_step")] long? toStep,
            IGrainFactory grains) =>
        {
            if (!await RunsApi.IsRegistered(grains, id)) return RunsApi.UnknownRun(id);
            var query = new RunSeriesQuery { Points = points ?? RunSeriesQuery.DefaultPoints, FromStep = fromStep, ToStep = toStep };
            if (query.Problem() is { } problem) return RunsApi.BadRequest(problem);
            return Results.Ok(await new RunHistoryReader(grains).SeriesAsync(id, query));
        });
        run.MapGet("/summaries.csv", (string id, IGrainFactory grains, HttpContext http) =>
            Download(id, "summaries.csv", "text/csv; charset=utf-8", RunUpdate.SummaryType, grains, http, async (updates, body, cancel) =>
            {
                await using var writer = new StreamWriter(body, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                await SummaryCsv.WriteAsync(updates, writer, cancel);
            }));
        run.MapGet("/summaries.jsonl", (string id, IGrainFactory grains, HttpContext http) =>
            Download(id, "summaries.jsonl", "application/jsonl; charset=utf-8", RunUpdate.SummaryType, grains, http, async (updates, body, cancel) =>
            {
                var buffered = new BufferedStream(body, 1 << 16); // not disposed: that would close the response
                await foreach (var update in updates.WithCancellation(cancel))
                {
                    await buffered.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(update, ContractJson.Options), cancel);
                    await buffered.WriteAsync(NewLine, cancel);
                }
                await buffered.FlushAsync(cancel);
            }));
        run.MapGet("/events.json", (string id, IGrainFactory grains, HttpContext http) =>
            Download(id, "events.json", "application/json; charset=utf-8", RunUpdate.EventType, grains, http,
                (updates, body, cancel) => JsonSerializer.SerializeAsync(body, updates, ContractJson.Options, cancel)));
        return app;
    }

    /// <summary>The run's updates of <paramref name="type"/> streamed as the attachment "{id}-{suffix}", written as they are read.</summary>
    private static async Task<IResult> Download(string id, string suffix, string contentType, string type, IGrainFactory grains, HttpContext http,
        Func<IAsyncEnumerable<RunUpdate>, Stream, CancellationToken, Task> write)
    {
        if (!await RunsApi.IsRegistered(grains, id)) return RunsApi.UnknownRun(id);
        var updates = new RunHistoryReader(grains).ReadAsync(id, type, http.RequestAborted);
        return Results.Stream(body => write(updates, body, http.RequestAborted), contentType, $"{id}-{suffix}");
    }
}
