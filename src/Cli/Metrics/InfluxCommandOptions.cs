using System.CommandLine;
using StreamMonitor.Metrics;

namespace StreamMonitor.Cli.Metrics;

/// <summary>
/// The <c>--influx</c> options of <c>serve</c> and <c>watch</c>: InfluxDB 1.x (<c>--influx-db</c>, user and password) or 2.x
/// (<c>--influx-org</c>, <c>--influx-bucket</c>, <c>--influx-token-file</c>). Secrets are read from files, never
/// from the command line, where every user of the machine can see them.
/// </summary>
internal sealed class InfluxCommandOptions
{
    private readonly Option<string?> _url = new("--influx") { Description = "Write every run's summaries, events and status changes, and the server's health, to this InfluxDB (e.g. http://127.0.0.1:8086)." };
    private readonly Option<string?> _database = new("--influx-db") { Description = "InfluxDB 1.x: the database (created when missing)." };
    private readonly Option<string?> _retention = new("--influx-rp") { Description = "InfluxDB 1.x: the retention policy (default: the database's)." };
    private readonly Option<string?> _user = new("--influx-user") { Description = "InfluxDB 1.x: the user." };
    private readonly Option<string?> _password = new("--influx-password-file") { Description = "InfluxDB 1.x: a file holding the user's password." };
    private readonly Option<string?> _org = new("--influx-org") { Description = "InfluxDB 2.x: the organisation." };
    private readonly Option<string?> _bucket = new("--influx-bucket") { Description = "InfluxDB 2.x: the bucket." };
    private readonly Option<string?> _token = new("--influx-token-file") { Description = "InfluxDB 2.x: a file holding the API token." };

    public void AddTo(Command command)
    {
        foreach (var option in new[] { _url, _database, _retention, _user, _password, _org, _bucket, _token }) command.Options.Add(option);
    }

    /// <summary>The writer's options, or null without <c>--influx</c>; a half-given set is an <see cref="ArgumentException"/>.</summary>
    public InfluxOptions? Read(ParseResult result, string spillDirectory)
    {
        if (result.GetValue(_url) is not { } url)
        {
            if (new[] { _database, _org, _bucket, _user }.Any(o => result.GetValue(o) is not null))
                throw new ArgumentException("--influx-db, --influx-org, --influx-bucket and --influx-user need --influx URL");
            return null;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--influx: '{url}' is not an http or https URL");
        var options = new InfluxOptions
        {
            Url = uri,
            Database = result.GetValue(_database),
            RetentionPolicy = result.GetValue(_retention),
            User = result.GetValue(_user),
            Password = Secret(result.GetValue(_password), "--influx-password-file"),
            Org = result.GetValue(_org),
            Bucket = result.GetValue(_bucket),
            Token = Secret(result.GetValue(_token), "--influx-token-file"),
            SpillDirectory = spillDirectory,
        };
        options.Validate();
        return options;
    }

    private static string? Secret(string? path, string option)
    {
        if (path is null) return null;
        if (!File.Exists(path)) throw new FileNotFoundException($"{option}: {path} does not exist", path);
        return File.ReadAllText(path).Trim();
    }
}
