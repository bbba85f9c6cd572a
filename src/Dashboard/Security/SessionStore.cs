using System.Collections.Concurrent;

namespace StreamMonitor.Dashboard.Security;

/// <summary>
/// Browser sessions: a random token in an HttpOnly cookie, and here only its hash with the user it belongs to. They
/// live in this process (a restart logs everyone out) and end after <see cref="Lifetime"/>, on logout, when the user is
/// removed or when their password changes; the user's role is looked up at every request, never kept in the session.
/// </summary>
public sealed class SessionStore(TimeProvider time)
{
    public const string CookieName = "streammonitor_session";
    public const string TokenPrefix = "sms_";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>Starts a session for <paramref name="user"/> and returns the token for its cookie.</summary>
    public string Start(UserCredential user)
    {
        var now = time.GetUtcNow();
        foreach (var (hash, session) in _sessions)
            if (session.Expires <= now) _sessions.TryRemove(hash, out _);
        var token = Secrets.New(TokenPrefix);
        _sessions[Secrets.Hash(token)] = new Session(user.Name, user.PasswordHash, now + Lifetime);
        return token;
    }

    /// <summary>The user of the session <paramref name="token"/> is for, as they are in <paramref name="credentials"/> now; null when it ended.</summary>
    public UserCredential? Find(string token, CredentialSet credentials)
    {
        var hash = Secrets.Hash(token);
        if (!_sessions.TryGetValue(hash, out var session)) return null;
        var user = credentials.User(session.User);
        if (session.Expires > time.GetUtcNow() && user is not null && user.PasswordHash == session.PasswordHash) return user;
        _sessions.TryRemove(hash, out _);
        return null;
    }

    public void End(string token) => _sessions.TryRemove(Secrets.Hash(token), out _);

    private sealed record Session(string User, string PasswordHash, DateTimeOffset Expires);
}
