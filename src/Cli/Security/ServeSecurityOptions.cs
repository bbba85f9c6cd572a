using System.CommandLine;
using System.Net;
using StreamMonitor.Dashboard.Security;

namespace StreamMonitor.Cli.Security;

/// <summary><c>serve</c>'s options for where it listens and who may call it: <c>--listen</c>, <c>--auth</c>, <c>--insecure</c>, <c>--https-cert</c>, <c>--https-key</c>.</summary>
internal sealed class ServeSecurityOptions
{
    private readonly Option<string?> _listen = new("--listen")
    {
        Description = "ADDR:PORT to listen on instead of 127.0.0.1:--port (0.0.0.0:5080, [::]:5080); a non-loopback address needs users or keys, or --insecure.",
    };
    private readonly Option<string?> _auth = AuthFileOptions.AuthOption();
    private readonly Option<bool> _insecure = new("--insecure") { Description = "Listen beyond loopback with no users or keys: anyone who reaches the server can do anything." };
    private readonly Option<string?> _certificate = new("--https-cert") { Description = $"Serve HTTPS with this certificate: PEM (key in --https-key or the same file) or PKCS#12 (password in ${HttpsCertificate.PasswordVariable})." };
    private readonly Option<string?> _key = new("--https-key") { Description = "The PEM private key of --https-cert." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _listen, _auth, _insecure, _certificate, _key }) command.Options.Add(option);
    }

    /// <summary>The port (from <c>--listen</c>, else <paramref name="port"/>) and the security options.</summary>
    public (int Port, SecurityOptions Security) Read(ParseResult result, Option<int> port)
    {
        var listen = result.GetValue(_listen) is { } text ? SecurityOptions.ParseListen(text) : null;
        if (listen is not null && result.GetResult(port) is { Implicit: false })
            throw new ArgumentException("give --listen ADDR:PORT or --port PORT, not both");
        var security = new SecurityOptions
        {
            ListenAddress = listen?.Address ?? IPAddress.Loopback,
            AuthFile = result.GetValue(_auth) is { } auth ? Path.GetFullPath(auth) : null,
            Insecure = result.GetValue(_insecure),
            HttpsCertificate = result.GetValue(_certificate),
            HttpsKey = result.GetValue(_key),
        };
        return (listen?.Port ?? result.GetValue(port), security);
    }
}
