using System.Text.Json;
using System.Text.RegularExpressions;
using StreamMonitor.Monitoring.Control;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>
/// <c>serve --config FILE</c>: what a site's operator sets once for its server, in JSON (comments allowed):
/// <code>
/// {
///   "data_roots": ["/scratch/runs", "/home/shared/md"],
///   "stop_commands": {
///     "slurm": "scancel {jobid}",
///     "slurm_signal": { "command": ["scancel", "--signal=TERM", "{jobid}"], "timeout": 60 },
///     "notify": { "command": "site-stop --account {account} {run_id}", "params": { "account": "^[a-z][a-z0-9_]{0,31}$" } }
///   },
///   "signal_allow": "(^|/)(lmp|gmx)[^ ]*( |$)",
///   "launch_commands": {
///     "lmp": "lmp -in /shared/inputs/shoot.in -log log.lammps -screen none -var config {config} -var seed {seed} -var steps {steps}",
///     "slurm": { "kind": "submit", "command": "sbatch --parsable --chdir {dir} /shared/inputs/shoot.sh {config} {seed} {steps}", "status": "squeue -h -j {jobid}" }
///   },
///   "end_after_idle": 600,
///   "end_after_stop": 30,
///   "webhooks": [{ "name": "lab", "url": "https://chat.example.org/hooks/md", "secret_file": "lab-webhook.secret" }],
///   "public_url": "https://md-monitor.example.org",
///   "influx": { "url": "http://influxdb:8086", "db": "streammonitor", "user": "streammonitor", "password_file": "influx-password" },
///   "kubernetes": true
/// }
/// </code>
/// Relative data roots and secret files are taken from the file's folder. Command-line options add to the lists and override the rest.
/// </summary>
public static class ServerConfigFile
{
    private static readonly HashSet<string> Keys = ["data_roots", "stop_commands", "signal_allow", "launch_commands", "end_after_idle", "end_after_stop", "webhooks", "public_url", "influx", "kubernetes"];

    public static ServerOptions Apply(ServerOptions options, string path)
    {
        var root = JsonSettingsFile.Read(path, "--config");
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"{path}: expected an object");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        foreach (var property in root.EnumerateObject())
        {
            var field = $"{path}: {property.Name}";
            var value = property.Value;
            options = property.Name switch
            {
                "data_roots" => options with { DataRoots = [.. options.DataRoots, .. Strings(value, field).Select(r => Path.GetFullPath(r, folder))] },
                "stop_commands" => options with { StopCommands = [.. options.StopCommands, .. Commands(value, field)] },
                "signal_allow" => options with { SignalAllow = Pattern(String(value, field), field) },
                "launch_commands" => options with { LaunchCommands = [.. options.LaunchCommands, .. LaunchCommands(value, field)] },
                "end_after_idle" => options with { EndAfterIdle = Seconds(value, field) },
                "end_after_stop" => options with { EndAfterStop = Seconds(value, field) },
                "webhooks" => options with { Webhooks = [.. options.Webhooks, .. Webhooks(value, field, folder)] },
                "public_url" => options with { PublicUrl = String(value, field) },
                "influx" => options with { Influx = Influx(value, field, folder, options.DataDirectory) },
                "kubernetes" => options with { Kubernetes = Bool(value, field) },
                _ => throw new FormatException($"{field}: unknown setting (known: {string.Join(", ", Keys)})"),
            };
        }
        return options;
    }

    private static IEnumerable<Monitoring.Alerts.WebhookTarget> Webhooks(JsonElement value, string field, string folder)
    {
        if (value.ValueKind != JsonValueKind.Array) throw new FormatException($"{field}: expected an array of {{\"name\", \"url\", \"secret_file\"}}");
        int i = 0;
        foreach (var webhook in value.EnumerateArray())
        {
            var where = $"{field}[{i++}]";
            if (webhook.ValueKind != JsonValueKind.Object) throw new FormatException($"{where}: expected {{\"name\", \"url\", \"secret_file\"}}");
            string? Get(string key) => webhook.TryGetProperty(key, out var v) ? String(v, $"{where}.{key}") : null;
            foreach (var p in webhook.EnumerateObject())
                if (p.Name is not ("name" or "url" or "secret_file")) throw new FormatException($"{where}: unknown key '{p.Name}' (known: name, url, secret_file)");
            var secret = Get("secret_file");
            yield return WebhookTargets.Create(Get("name"), Get("url"), secret is null ? null : Path.GetFullPath(secret, folder), where);
        }
    }

    /// <summary>
    /// <c>"influx": {"url", "db", "rp", "user", "password_file"}</c> (1.x) or <c>{"url", "org", "bucket", "token_file"}</c>
    /// (2.x); secrets are read from files, relative to the config file's folder.
    /// </summary>
    private static Metrics.InfluxOptions Influx(JsonElement value, string field, string folder, string dataDirectory)
    {
        if (value.ValueKind != JsonValueKind.Object) throw new FormatException($"{field}: expected {{\"url\", \"db\", ...}}");
        string[] known = ["url", "db", "rp", "user", "password_file", "org", "bucket", "token_file"];
        var settings = new Dictionary<string, string>();
        foreach (var p in value.EnumerateObject())
            settings[known.Contains(p.Name) ? p.Name : throw new FormatException($"{field}: unknown key '{p.Name}' (known: {string.Join(", ", known)})")] = String(p.Value, $"{field}.{p.Name}");
        string? Secret(string key)
        {
            if (!settings.TryGetValue(key, out var path)) return null;
            var full = Path.GetFullPath(path, folder);
            return File.Exists(full) ? File.ReadAllText(full).Trim() : throw new FormatException($"{field}.{key}: {full} does not exist");
        }
        if (!settings.TryGetValue("url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new FormatException($"{field}.url: expected an http or https URL");
        var influx = new Metrics.InfluxOptions
        {
            Url = uri,
            Database = settings.GetValueOrDefault("db"),
            RetentionPolicy = settings.GetValueOrDefault("rp"),
            User = settings.GetValueOrDefault("user"),
            Password = Secret("password_file"),
            Org = settings.GetValueOrDefault("org"),
            Bucket = settings.GetValueOrDefault("bucket"),
            Token = Secret("token_file"),
            SpillDirectory = Path.Combine(dataDirectory, "influx-spill"),
        };
        try
        {
            influx.Validate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{field}: {e.Message}");
        }
        return influx;
    }

    private static IEnumerable<Monitoring.Campaigns.LaunchCommand> LaunchCommands(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Object) throw new FormatException($"{field}: expected an object of NAME: TEMPLATE");
        foreach (var entry in value.EnumerateObject())
        {
            var where = $"{field}.{entry.Name}";
            Monitoring.Campaigns.LaunchCommand command;
            try
            {
                command = entry.Value.ValueKind is JsonValueKind.String or JsonValueKind.Array
                    ? new(entry.Name, Monitoring.Campaigns.LaunchKinds.Local, Template(entry.Value))
                    : entry.Value.ValueKind == JsonValueKind.Object
                        ? LaunchCommand(entry.Name, entry.Value)
                        : throw new FormatException("expected a template (a string or an array of strings) or {\"kind\", \"command\", \"status\", \"timeout\"}");
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                throw new FormatException($"{where}: {e.Message}");
            }
            yield return command;
        }
    }

    private static Monitoring.Campaigns.LaunchCommand LaunchCommand(string name, JsonElement value)
    {
        string kind = Monitoring.Campaigns.LaunchKinds.Local;
        CommandTemplate? template = null, status = null;
        TimeSpan? timeout = null;
        foreach (var p in value.EnumerateObject())
        {
            switch (p.Name)
            {
                case "kind": kind = String(p.Value, "kind"); break;
                case "command": template = Template(p.Value); break;
                case "status": status = Template(p.Value); break;
                case "timeout": timeout = Seconds(p.Value, "timeout"); break;
                default: throw new FormatException($"unknown key '{p.Name}' (known: kind, command, status, timeout)");
            }
        }
        return new(name, kind, template ?? throw new FormatException("\"command\" is missing"), status, timeout);
    }

    private static IEnumerable<NamedCommand> Commands(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Object) throw new FormatException($"{field}: expected an object of NAME: TEMPLATE");
        foreach (var entry in value.EnumerateObject())
        {
            yield return CommandOf(entry, $"{field}.{entry.Name}");
        }
    }

    private static NamedCommand CommandOf(JsonProperty entry, string where)
    {
        try
        {
            return entry.Value.ValueKind switch
            {
                JsonValueKind.String or JsonValueKind.Array => new NamedCommand(entry.Name, Template(entry.Value)),
                JsonValueKind.Object => Command(entry.Name, entry.Value),
                _ => throw new FormatException("expected a template (a string or an array of strings) or {\"command\", \"params\", \"timeout\"}"),
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new FormatException($"{where}: {e.Message}");
        }
    }

    private static NamedCommand Command(string name, JsonElement value)
    {
        CommandTemplate? template = null;
        var parameters = new Dictionary<string, Regex>(StringComparer.OrdinalIgnoreCase);
        TimeSpan? timeout = null;
        foreach (var p in value.EnumerateObject())
        {
            switch (p.Name)
            {
                case "command": template = Template(p.Value); break;
                case "params":
                    if (p.Value.ValueKind != JsonValueKind.Object) throw new FormatException("params: expected an object of NAME: PATTERN");
                    foreach (var param in p.Value.EnumerateObject()) parameters[param.Name] = Pattern(String(param.Value, $"params.{param.Name}"), $"params.{param.Name}", whole: true);
                    break;
                case "timeout": timeout = Seconds(p.Value, "timeout"); break;
                default: throw new FormatException($"unknown key '{p.Name}' (known: command, params, timeout)");
            }
        }
        return new NamedCommand(name, template ?? throw new FormatException("\"command\" is missing"), parameters, timeout);
    }

    private static CommandTemplate Template(JsonElement value) => CommandTemplate.Parse(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());

    private static string String(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FormatException($"{field}: expected a string");

    private static bool Bool(JsonElement value, string field) =>
        value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw new FormatException($"{field}: expected true or false");

    private static IEnumerable<string> Strings(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => String(v, field)).ToArray() : throw new FormatException($"{field}: expected an array of strings");

    private static TimeSpan Seconds(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Number && value.GetDouble() is var s and > 0 ? TimeSpan.FromSeconds(s) : throw new FormatException($"{field}: expected a positive number of seconds");

    /// <summary>A regular expression; with <paramref name="whole"/> one that must match a whole value (<see cref="StopPolicy.WholeValue"/>).</summary>
    public static Regex Pattern(string text, string field, bool whole = false)
    {
        try
        {
            return whole ? StopPolicy.WholeValue(text) : new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{field}: '{text}' is not a regular expression: {e.Message}");
        }
    }
}
