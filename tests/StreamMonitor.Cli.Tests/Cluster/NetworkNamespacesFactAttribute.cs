namespace StreamMonitor.Cli.Tests.Cluster;

/// <summary>A fact that builds network namespaces: reported as skipped, with the reason, where it cannot (not root, no <c>ip netns</c>).</summary>
public sealed class NetworkNamespacesFactAttribute : FactAttribute
{
    public NetworkNamespacesFactAttribute()
    {
        if (Reason.Value is { } reason) Skip = reason;
    }

    private static readonly Lazy<string?> Reason = new(NetworkNamespaces.Unavailable);
}
