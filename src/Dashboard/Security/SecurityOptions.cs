using System.Net;

namespace StreamMonitor.Dashboard.Security;

/// <summary>Where <c>serve</c> listens and how callers prove who they are (<c>--listen</c>, <c>--auth</c>, <c>--insecure</c>, <c>--https-*</c>).</summary>
public sealed record SecurityOptions
{
    /// <summary>The address Kestrel listens on (the port is <c>ServerOptions.Port</c>).</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;

    /// <summary>The auth file; null for <see cref="AuthFile.DefaultName"/> in the data folder.</summary>
    public string? AuthFile { get; init; }

    /// <summary>Start on a non-loopback address with no credentials configured, open to whoever reaches it.</summary>
    public bool Insecure { get; init; }

    /// <summary>A PEM certificate (with <see cref="HttpsKey"/>, or with its key in the same file) or a PKCS#12 file; null serves plain HTTP.</summary>
    public string? HttpsCertificate { get; init; }

    public string? HttpsKey { get; init; }

    public bool ListensOnLoopback => IPAddress.IsLoopback(ListenAddress);

    public string Scheme => HttpsCertificate is null ? "http" : "https";

    public string AuthFilePath(string dataDirectory) => AuthFile ?? Security.AuthFile.DefaultPath(dataDirectory);

    /// <summary>The base address clients use, e.g. <c>https://0.0.0.0:5080</c>.</summary>
    public string Url(int port) => $"{Scheme}://{new IPEndPoint(ListenAddress, port)}";

    /// <summary><c>ADDR:PORT</c> (<c>0.0.0.0:5080</c>, <c>[::]:5080</c>, <c>localhost:5080</c>) as given to <c>--listen</c>.</summary>
    public static IPEndPoint ParseListen(string text)
    {
        var endpoint = text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase)
            ? IPEndPoint.TryParse("127.0.0.1" + text["localhost".Length..], out var local) ? local : null
            : IPEndPoint.TryParse(text, out var parsed) ? parsed : null;
        if (endpoint is null || endpoint.Port == 0)
            throw new ArgumentException($"--listen: '{text}' is not ADDR:PORT (e.g. 127.0.0.1:5080, 0.0.0.0:5080, [::]:5080)");
        return endpoint;
    }
}
