using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Polly;
using Polly.Retry;
using StreamMonitor.Contracts.Alerts;
using StreamMonitor.Monitoring.Alerts;

namespace StreamMonitor.Grains.Alerts;

/// <summary>
/// Posts an alert's body to a webhook, signed (<see cref="WebhookSignature"/>), retrying a failed attempt (no answer, or
/// a status other than 2xx) with exponential backoff and jitter. Redirects are not followed: a webhook posts where the
/// server's configuration says, nowhere else. Thread-safe.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<WebhookDelivery> _retry;
    private readonly TimeProvider _clock;

    public WebhookSender(AlertEngineOptions options, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = options.AttemptTimeout,
        };
        _retry = new ResiliencePipelineBuilder<WebhookDelivery>().AddRetry(new RetryStrategyOptions<WebhookDelivery>
        {
            ShouldHandle = new PredicateBuilder<WebhookDelivery>().HandleResult(d => d.Outcome != WebhookDelivery.Delivered),
            MaxRetryAttempts = Math.Max(0, options.AttemptsPerRound - 1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.FirstRetryDelay,
        }).Build();
    }

    /// <summary>
    /// One round of attempts, numbered on from <paramref name="attemptsBefore"/>; returns each attempt made, the last one
    /// <see cref="WebhookDelivery.Delivered"/> or <see cref="WebhookDelivery.Retrying"/>.
    /// </summary>
    public async Task<IReadOnlyList<WebhookDelivery>> DeliverAsync(WebhookTarget target, string alertId, string body, int attemptsBefore, CancellationToken cancellationToken)
    {
        var attempts = new List<WebhookDelivery>();
        await _retry.ExecuteAsync(async token =>
        {
            var attempt = await AttemptAsync(target, alertId, body, attemptsBefore + attempts.Count + 1, token);
            attempts.Add(attempt);
            return attempt;
        }, cancellationToken);
        return attempts;
    }

    private async Task<WebhookDelivery> AttemptAsync(WebhookTarget target, string alertId, string body, int number, CancellationToken cancellationToken)
    {
        var at = _clock.GetUtcNow();
        long timestamp = at.ToUnixTimeSeconds();
        var clock = Stopwatch.StartNew();
        int? status = null;
        string? error;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(target.Secret, timestamp, body));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            status = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : $"{target.Name} answered {status} {response.ReasonPhrase}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            error = e is TaskCanceledException ? $"{target.Name} did not answer within {_http.Timeout.TotalSeconds} s" : $"{target.Name}: {e.Message}";
        }
        return new WebhookDelivery
        {
            AlertId = alertId,
            Webhook = target.Name,
            Attempt = number,
            At = at,
            StatusCode = status,
            Error = error,
            DurationMs = clock.Elapsed.TotalMilliseconds,
            Outcome = error is null ? WebhookDelivery.Delivered : WebhookDelivery.Retrying,
        };
    }

    public void Dispose() => _http.Dispose();
}
