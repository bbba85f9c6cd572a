using System.Text.Json;

namespace StreamMonitor.Monitoring.Alerts;

/// <summary>
/// The JSON body posted to a webhook for an alert (<c>webhook_payload</c> in the schema): the alert as raised, in its
/// contract form, with <c>link</c>, the run's page. Its <c>id</c> is the alert's, the same for every attempt and after a
/// restart, so a receiver drops repeats.
/// </summary>
public static class WebhookPayload
{
    public static string Body(Alert alert, string publicUrl)
    {
        var body = JsonSerializer.SerializeToNode(alert, ContractJson.Options)!.AsObject();
        body["link"] = LinkOf(alert.RunId, publicUrl);
        return body.ToJsonString(ContractJson.Options);
    }

    /// <summary>The run's page: <c>{public_url}/runs/{id}</c>.</summary>
    public static string LinkOf(string runId, string publicUrl) => $"{publicUrl.TrimEnd('/')}/runs/{Uri.EscapeDataString(runId)}";
}
