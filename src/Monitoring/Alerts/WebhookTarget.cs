namespace StreamMonitor.Monitoring.Alerts;

/// <summary>A webhook the server may post alerts to, configured by name on the server; rules refer to it by <see cref="Name"/>.</summary>
public sealed record WebhookTarget(string Name, Uri Url, string Secret)
{
    public override string ToString() => $"{Name} ({Url})"; // never the secret
}
