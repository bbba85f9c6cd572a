namespace StreamMonitor.Dashboard.Api;

/// <summary>The body of <c>POST /api/session</c>: <c>{"user": "alice", "password": "..."}</c>.</summary>
public sealed record Login(string? User, string? Password);
