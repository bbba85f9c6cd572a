namespace StreamMonitor.Monitoring;

/// <summary>
/// Who did something to a run, for its events and the audit log: an authenticated principal (<c>user:alice</c>,
/// <c>key:ci</c>), the single local user of an open loopback server (<c>local</c>), a rule (<c>rule:nucleation</c>) or
/// the server itself, and the address the request came from when it came over the network.
/// </summary>
public sealed record Actor(string Name, string? Address = null)
{
    /// <summary>The server acting on its own (a run ending when its file goes idle, runs registered from <c>--runs</c>).</summary>
    public static Actor Server { get; } = new("server");

    public override string ToString() => Address is null ? Name : $"{Name} from {Address}";
}
