using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using StreamMonitor.Grains.Hosting;

namespace StreamMonitor.Cli.Runs;

/// <summary>
/// The runs API of a running server, as the <c>runs</c> commands call it: one request, its JSON answer, or one line saying
/// what went wrong (the server's own <c>error</c> when it gave one).
/// </summary>
internal sealed class ServerClient(string server, string? apiKey) : IDisposable
{
    /// <summary>Where a server is found when <c>--server</c> is not given.</summary>
    public static string DefaultServer => Environment.GetEnvironmentVariable("STREAMMONITOR_SERVER") ?? $"http://127.0.0.1:{ServerDefaults.HttpPort}";

    private readonly HttpClient _http = Create(apiKey ?? Environment.GetEnvironmentVariable("STREAMMONITOR_API_KEY"));

    public Task<JsonNode> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, ct);

    public Task<JsonNode> PostAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Post, path, ct);

    public Task<JsonNode> DeleteAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Delete, path, ct);

    /// <summary>The path of a run under the API, its id escaped.</summary>
    public static string RunPath(string id, string rest = "") => $"/api/runs/{Uri.EscapeDataString(id)}{rest}";

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, CancellationToken ct)
    {
        var url = server.TrimEnd('/') + path;
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(new HttpRequestMessage(method, url), ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach {server} ({e.Message}); is `streammonitor serve` running there? (--server, STREAMMONITOR_SERVER)", CliErrors.DataError);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"{server} did not answer {method} {path} in {_http.Timeout.TotalSeconds:0} s", CliErrors.DataError);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw new CliException($"{method} {path}: {(int)response.StatusCode} {Explain(response.StatusCode, text)}", CliErrors.DataError);
            try
            {
                return JsonNode.Parse(text) ?? new JsonObject();
            }
            catch (JsonException)
            {
                throw new CliException($"{method} {path}: the answer is not JSON (is {server} a StreamMonitor server?)", CliErrors.DataError);
            }
        }
    }

    private static string Explain(HttpStatusCode status, string text)
    {
        try
        {
            if (JsonNode.Parse(text)?["error"]?.GetValue<string>() is { } error) return error;
        }
        catch (JsonException)
        {
        }
        return status switch
        {
            HttpStatusCode.Unauthorized => "this server needs credentials: give an API key with --api-key or STREAMMONITOR_API_KEY",
            HttpStatusCode.Forbidden => "the key's role may not do this",
            _ => text.Length > 200 ? text[..200] : text,
        };
    }

    private static HttpClient Create(string? apiKey)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        if (!string.IsNullOrEmpty(apiKey)) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    public void Dispose() => _http.Dispose();
}
