using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace StreamMonitor.Dashboard.Security;

/// <summary>
/// Puts <see cref="SecurityOptions"/> into effect on the server: where Kestrel listens and with which certificate,
/// the authentication scheme, the role policies, the cross-site guard and the line at start that says how open the
/// server is. <see cref="Prepare"/> refuses what must not start: a non-loopback address with no credentials and no
/// <c>--insecure</c>, an unreadable auth file or certificate.
/// </summary>
public sealed class ServerSecurity
{
    private readonly CredentialSet _loaded;
    private readonly X509Certificate2? _certificate;

    private ServerSecurity(SecurityOptions options, string authFile, CredentialSet loaded, X509Certificate2? certificate)
    {
        Options = options;
        AuthFilePath = authFile;
        _loaded = loaded;
        _certificate = certificate;
    }

    public SecurityOptions Options { get; }

    public string AuthFilePath { get; }

    public static ServerSecurity Prepare(SecurityOptions options, string dataDirectory)
    {
        if (options.HttpsKey is not null && options.HttpsCertificate is null) throw new ArgumentException("--https-key needs --https-cert");
        var path = Path.GetFullPath(options.AuthFilePath(dataDirectory));
        var loaded = AuthFile.Load(path);
        if (!options.ListensOnLoopback && loaded.IsEmpty && !options.Insecure)
            throw new ArgumentException(
                $"--listen {options.ListenAddress}: not a loopback address, and {path} has no users or keys; add one " +
                "('streammonitor users add NAME --role admin' or 'streammonitor keys add NAME --role admin'), " +
                "or pass --insecure to let anyone who reaches this address do anything");
        var certificate = options.HttpsCertificate is { } file ? HttpsCertificate.Load(file, options.HttpsKey) : null;
        return new ServerSecurity(options, path, loaded, certificate);
    }

    public void Listen(KestrelServerOptions kestrel, int port) => kestrel.Listen(Options.ListenAddress, port, endpoint =>
    {
        if (_certificate is not null) endpoint.UseHttps(_certificate);
    });

    public void AddServices(IServiceCollection services)
    {
        services.AddSingleton(Options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new CredentialStore(AuthFilePath, _loaded, provider.GetRequiredService<ILogger<CredentialStore>>()));
        services.AddSingleton<SessionStore>();
        // The core of authentication, not AddAuthentication: that brings data protection, whose start would create a
        // key ring under the user's home, and nothing here protects data with it (sessions are random tokens kept here).
        services.AddWebEncoders();
        services.AddAuthenticationCore(authentication =>
        {
            authentication.AddScheme<CredentialsHandler>(CredentialsHandler.SchemeName, displayName: null);
            authentication.DefaultScheme = CredentialsHandler.SchemeName;
        });
        // The handler's base class logs every challenge at Information; the handler logs failed credentials itself.
        services.AddLogging(logging => logging.AddFilter(typeof(CredentialsHandler).FullName, LogLevel.Warning));
        services.AddAuthorization(Policies.Add);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RoleResponses>();
    }

    /// <summary>Authentication, the cross-site guard and authorization, in that order, ahead of every endpoint.</summary>
    public void Use(WebApplication app, int port)
    {
        Announce(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ServerSecurity>(), Options.Url(port));
        app.UseAuthentication();
        app.UseMiddleware<CrossSiteRequestGuard>();
        app.UseAuthorization();
    }

    private void Announce(ILogger logger, string url)
    {
        if (!_loaded.IsEmpty)
            logger.LogInformation("{Url}: credentials required ({Users} users, {Keys} keys in {Path})", url, _loaded.Users.Count, _loaded.Keys.Count, AuthFilePath);
        else if (Options.ListensOnLoopback)
            logger.LogInformation("{Url}: open to the local user: no users or keys in {Path}, so every request acts as '{Local}' with the admin role", url, AuthFilePath, Caller.Local);
        else
            logger.LogWarning("--insecure: {Url} is not a loopback address and {Path} has no users or keys: ANYONE who can reach it can register, stop and remove runs", url, AuthFilePath);
    }
}
