using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Alerts;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>
/// The webhooks a server may post alerts to, from its configuration (<c>webhooks</c> in the config file, or
/// <c>--webhook NAME=URL</c> with <c>--webhook-secret-file NAME=PATH</c>): a name rules use, an http(s) URL, and a
/// secret read from a file so that it stays out of command lines and config files.
/// </summary>
public static class WebhookTargets
{
    /// <summary>One webhook; <paramref name="field"/> names where it was configured, for errors.</summary>
    public static WebhookTarget Create(string? name, string? url, string? secretFile, string field)
    {
        if (!RunIds.IsValid(name)) throw new ArgumentException($"{field}: webhook name '{name}' is not valid: it must be {RunIds.Rule}");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"{field}: webhook {name}: '{url}' is not an http or https URL");
        if (string.IsNullOrWhiteSpace(secretFile)) throw new ArgumentException($"{field}: webhook {name} needs a secret file");
        if (!File.Exists(secretFile)) throw new ArgumentException($"{field}: webhook {name}: secret file {secretFile}: no such file");
        string secret = File.ReadAllText(secretFile).Trim();
        if (secret.Length < 16) throw new ArgumentException($"{field}: webhook {name}: the secret in {secretFile} is shorter than 16 characters");
        return new WebhookTarget(name!, uri, secret);
    }

    /// <summary>The <c>--webhook NAME=URL</c> and <c>--webhook-secret-file NAME=PATH</c> pairs, matched by name.</summary>
    public static IReadOnlyList<WebhookTarget> FromPairs(IEnumerable<string> urls, IEnumerable<string> secretFiles)
    {
        var secrets = secretFiles.Select(s => Split(s, "--webhook-secret-file")).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        var targets = new List<WebhookTarget>();
        foreach (var (name, url) in urls.Select(u => Split(u, "--webhook")))
        {
            if (!secrets.Remove(name, out var file)) throw new ArgumentException($"--webhook {name}: give its secret with --webhook-secret-file {name}=PATH");
            targets.Add(Create(name, url, file, "--webhook"));
        }
        if (secrets.Count > 0) throw new ArgumentException($"--webhook-secret-file {secrets.Keys.First()}: no --webhook {secrets.Keys.First()}=URL");
        return targets;
    }

    /// <summary>Checks that names are unique.</summary>
    public static void Validate(IReadOnlyList<WebhookTarget> targets)
    {
        var twice = targets.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"webhook '{twice.Key}' is configured twice");
    }

    private static (string Name, string Value) Split(string pair, string option)
    {
        int at = pair.IndexOf('=', StringComparison.Ordinal);
        return at > 0 ? (pair[..at], pair[(at + 1)..]) : throw new ArgumentException($"{option}: '{pair}' is not NAME=VALUE");
    }
}
