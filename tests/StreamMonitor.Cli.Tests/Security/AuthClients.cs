using System.Net.Http.Headers;
using System.Text;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Security;

/// <summary>Credentials made with the real <c>users</c>/<c>keys</c> commands, and HTTP clients that present them.</summary>
internal static class AuthClients
{
    /// <summary><c>streammonitor keys add</c>: returns the printed key.</summary>
    public static string AddKey(string authFile, string name, string role)
    {
        var result = StreamMonitorCli.Run("keys", "add", name, "--role", role, "--auth", authFile);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput.Trim();
    }

    /// <summary><c>streammonitor users add --password-stdin</c>.</summary>
    public static void AddUser(string authFile, string name, string role, string password)
    {
        var result = StreamMonitorCli.RunWithInput(password + "\n", "users", "add", name, "--role", role, "--password-stdin", "--auth", authFile);
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    public static HttpClient Anonymous() => new() { Timeout = TimeSpan.FromSeconds(30) };

    public static HttpClient Bearer(string key) => With(new AuthenticationHeaderValue("Bearer", key));

    public static HttpClient Basic(string user, string password) =>
        With(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))));

    public static HttpClient ApiKeyHeader(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static HttpClient With(AuthenticationHeaderValue authorization)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }
}
