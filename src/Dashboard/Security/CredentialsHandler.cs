using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StreamMonitor.Dashboard.Security;

/// <summary>
/// The one authentication scheme of the server. In order: an open server (no credentials configured, on loopback or
/// with <c>--insecure</c>) makes every request the principal <c>local</c> with the admin role; otherwise
/// <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c> (an API key), <c>Authorization: Basic</c> (a user's
/// password) or the session cookie. A credential that is present but wrong fails the request rather than falling
/// through to the next, so a stale cookie never stands in for a rejected key.
/// </summary>
public sealed class CredentialsHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers, UrlEncoder encoder,
    CredentialStore credentials, SessionStore sessions, SecurityOptions security)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "streammonitor";
    public const string ApiKeyHeader = "X-Api-Key";

    private const string Missing = "authentication required: send an API key (Authorization: Bearer KEY), a user's password (HTTP Basic) or log in (POST /api/session)";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var result = Authenticate(credentials.Current);
        if (result.Failure is { } failure)
            Logger.LogWarning("{Method} {Path} from {Address}: {Reason}", Request.Method, Request.Path, Context.Connection.RemoteIpAddress, failure.Message);
        return Task.FromResult(result);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await AuthResponses.Unauthorized(Context, result.Failure?.Message ?? Missing);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AuthResponses.Forbidden(Context, $"{Context.User.Identity?.Name} may not do this");

    private AuthenticateResult Authenticate(CredentialSet set)
    {
        if (set.IsEmpty && (security.ListensOnLoopback || security.Insecure)) return Success(Caller.Local, Role.Admin, Caller.Methods.Open);
        if (Request.Headers.Authorization.ToString() is { Length: > 0 } authorization) return FromAuthorization(authorization, set);
        if (Request.Headers[ApiKeyHeader].ToString() is { Length: > 0 } key) return FromKey(key, set);
        if (Request.Cookies[SessionStore.CookieName] is { Length: > 0 } token)
        {
            return sessions.Find(token, set) is { } user
                ? Success(user.Principal, user.Role, Caller.Methods.Session)
                : AuthenticateResult.Fail("the session has ended; log in again");
        }
        return AuthenticateResult.NoResult();
    }

    private AuthenticateResult FromAuthorization(string header, CredentialSet set)
    {
        int space = header.IndexOf(' ');
        var scheme = space < 0 ? header : header[..space];
        var parameter = space < 0 ? "" : header[(space + 1)..].Trim();
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)) return FromKey(parameter, set);
        if (!scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail($"Authorization: scheme '{scheme}' is not supported; use Bearer or Basic");
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
        }
        catch (FormatException)
        {
            return AuthenticateResult.Fail("Authorization: Basic credentials are not base64");
        }
        int colon = decoded.IndexOf(':');
        if (colon < 0) return AuthenticateResult.Fail("Authorization: Basic credentials are not USER:PASSWORD");
        return set.CheckPassword(decoded[..colon], decoded[(colon + 1)..]) is { } user
            ? Success(user.Principal, user.Role, Caller.Methods.Password)
            : AuthenticateResult.Fail("wrong user name or password");
    }

    private AuthenticateResult FromKey(string presented, CredentialSet set) =>
        set.FindKey(presented) is { } key ? Success(key.Principal, key.Role, Caller.Methods.ApiKey) : AuthenticateResult.Fail("unknown API key");

    private AuthenticateResult Success(string name, Role role, string method) =>
        AuthenticateResult.Success(new AuthenticationTicket(Caller.Principal(name, role, method, Scheme.Name), Scheme.Name));
}
