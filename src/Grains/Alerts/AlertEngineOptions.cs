using StreamMonitor.Grains.Hosting;
using StreamMonitor.Monitoring.Alerts;

namespace StreamMonitor.Grains.Alerts;

/// <summary>What the alert engine posts to and how hard it tries: the server's webhooks (rules name them), the public address for links, retries and bounds.</summary>
public sealed class AlertEngineOptions
{
    /// <summary>The webhooks rules may name.</summary>
    public IReadOnlyList<WebhookTarget> Webhooks { get; set; } = [];

    /// <summary>The server's address as people reach it, for the links to run pages (<c>{public_url}/runs/{id}</c>).</summary>
    public string PublicUrl { get; set; } = $"http://127.0.0.1:{ServerDefaults.HttpPort}";

    /// <summary>Attempts per round of a delivery; between them the wait doubles from <see cref="FirstRetryDelay"/>, with jitter.</summary>
    public int AttemptsPerRound { get; set; } = 5;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After a round fails, the wait before the next round.</summary>
    public TimeSpan RoundDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A delivery still failing this long after its alert was raised is given up (logged as failed).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Period of the reminder that re-activates the engine, on another silo if its own died.</summary>
    public TimeSpan ResumePeriod { get; set; } = ServerDefaults.ResumePeriod;

    /// <summary>How often silent runs are looked for and waiting deliveries retried.</summary>
    public TimeSpan CheckPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Alerts kept (the newest); older ones leave the list but are never raised again. The list is written whole with
    /// each alert raised, so this bounds that write too.
    /// </summary>
    public int KeptAlerts { get; set; } = 2_000;

    /// <summary>Delivery attempts kept in the log (the newest).</summary>
    public int KeptDeliveries { get; set; } = 1_000;

    public WebhookTarget? Webhook(string name) => Webhooks.FirstOrDefault(w => w.Name == name);
}
