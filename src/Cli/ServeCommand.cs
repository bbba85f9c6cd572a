using StreamMonitor.Cli.Metrics;
using StreamMonitor.Monitoring.Campaigns;
using System.CommandLine;
using StreamMonitor.Cli.Security;
using StreamMonitor.Dashboard.Hosting;
using StreamMonitor.Grains.Hosting;
using StreamMonitor.Monitoring.Control;

namespace StreamMonitor.Cli;

/// <summary>
/// <c>streammonitor serve</c>: the embedded server — one localhost silo with its state in a SQLite file and the runs
/// API on http://127.0.0.1:PORT. Runs registered before a restart resume from their checkpoints.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "HTTP port on 127.0.0.1 (--listen for another address).", DefaultValueFactory = _ => ServerDefaults.HttpPort };
        var data = new Option<string>("--data")
        {
            Description = "Folder for durable state (state.db) and the auth file (auth.json).",
            DefaultValueFactory = _ => DataFolder.Default,
        };
        var siloPort = new Option<int>("--silo-port") { Description = "Orleans silo port (localhost).", DefaultValueFactory = _ => ServerDefaults.SiloPort };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "Orleans client gateway port; 0 (the default) opens none. Orleans does not authenticate its clients: open one only where nobody else can reach it.", DefaultValueFactory = _ => ServerDefaults.GatewayPort };
        var watch = new Option<string?>("--watch") { Description = "Directory whose new trajectories (matching --watch-glob) become runs." };
        var watchGlob = new Option<string>("--watch-glob") { Description = "Files under --watch to register, e.g. shots/*/dump.lammpstrj.", DefaultValueFactory = _ => "**/*.lammpstrj" };
        var runs = new Option<string?>("--runs") { Description = "JSON file of runs to register at start (the POST /api/runs format, as an array)." };
        var redis = new Option<string?>("--redis") { Description = "Join a cluster through Redis (host:port): state, membership and reminders live there instead of state.db." };
        var advertise = new Option<string?>("--advertise") { Description = "With --redis: the IP address other hosts' silos reach this one at (default 127.0.0.1: all silos on this host)." };
        var kubernetes = new Option<bool>("--kubernetes")
        {
            Description = "With --redis, in a Kubernetes pod: Orleans' Kubernetes hosting. The silo is named after POD_NAME, advertises POD_IP "
                + "(listening on all interfaces at --silo-port), takes its ids from ORLEANS_SERVICE_ID and ORLEANS_CLUSTER_ID instead of "
                + "--advertise and --cluster, and watches the pods of POD_NAMESPACE so a deleted pod's silo is declared dead at once "
                + "(see deploy/README.md for the environment and the role it needs).",
        };
        var cluster = new Option<string>("--cluster") { Description = "Cluster name in Redis.", DefaultValueFactory = _ => ServerDefaults.ClusterName };
        var resumePeriod = new Option<double>("--resume-period") { Description = "Seconds before a run (or the alert engine) whose silo died resumes on another silo.", DefaultValueFactory = _ => ServerDefaults.ResumePeriod.TotalSeconds };
        var config = new Option<string?>("--config") { Description = "JSON file of server settings: data_roots, stop_commands, signal_allow, launch_commands, end_after_idle, end_after_stop, webhooks, public_url, influx, kubernetes (see README)." };
        var dataRoot = new Option<string[]>("--data-root") { Description = "A folder trajectories, stop files and model files may lie in (repeatable; default: the working directory)." };
        var stopCommand = new Option<string[]>("--stop-command") { Description = "A command stops may run, as NAME=TEMPLATE, e.g. slurm='scancel {jobid}' (repeatable)." };
        var signalAllow = new Option<string?>("--signal-allow") { Description = "Only processes whose command line matches this regular expression may be signalled, e.g. 'lmp|gmx'." };
        var endAfterIdle = new Option<double?>("--end-after-idle") { Description = $"Seconds without growth after which a run finishes, unless it says otherwise (default {ServerDefaults.EndAfterIdle.TotalSeconds})." };
        var endAfterStop = new Option<double?>("--end-after-stop") { Description = $"Seconds without growth after a stop after which a run ends (default {ServerDefaults.EndAfterStop.TotalSeconds})." };
        var webhook = new Option<string[]>("--webhook") { Description = "A webhook alert rules may name, as NAME=URL (repeatable; each needs --webhook-secret-file NAME=PATH)." };
        var webhookSecret = new Option<string[]>("--webhook-secret-file") { Description = "The file holding a webhook's signing secret, as NAME=PATH (repeatable)." };
        var publicUrl = new Option<string?>("--public-url") { Description = "The server's address as people reach it, for links in alerts (default http://127.0.0.1:PORT)." };
        var launchCommand = new Option<string[]>("--launch-command") { Description = "A command campaigns may start shots with on this machine, as NAME=TEMPLATE, e.g. lmp='lmp -in shoot.in -var seed {seed} -var config {config}' (repeatable)." };
        var submitCommand = new Option<string[]>("--submit-command") { Description = "A command campaigns may submit shots with, printing the job id, as NAME=TEMPLATE, e.g. slurm='sbatch --parsable --chdir {dir} shoot.sh {seed} {config}' (repeatable)." };
        var jobStatus = new Option<string[]>("--job-status") { Description = "For a --submit-command NAME: the command that says whether job {jobid} is still there (exit 0 with output), as NAME=TEMPLATE, e.g. slurm='squeue -h -j {jobid}'." };
        var command = new Command("serve", "Run the monitoring server: embedded silo with SQLite state (or a Redis cluster's silo), HTTP API.")
        {
            port, data, siloPort, gatewayPort, watch, watchGlob, runs, redis, advertise, kubernetes, cluster, resumePeriod,
            config, dataRoot, stopCommand, signalAllow, endAfterIdle, endAfterStop, webhook, webhookSecret, publicUrl,
            launchCommand, submitCommand, jobStatus,
        };
        var security = new ServeSecurityOptions();
        security.AddTo(command);
        var influx = new InfluxCommandOptions();
        influx.AddTo(command);
        command.SetAction((result, ct) => CliErrors.RunAsync(async () =>
        {
            var (httpPort, securityOptions) = security.Read(result, port);
            var options = new ServerOptions
            {
                Port = httpPort,
                Security = securityOptions,
                DataDirectory = result.GetValue(data)!,
                SiloPort = result.GetValue(siloPort),
                GatewayPort = result.GetValue(gatewayPort),
                WatchDirectory = result.GetValue(watch) is { } w ? Path.GetFullPath(w) : null,
                WatchGlob = result.GetValue(watchGlob)!,
                Runs = result.GetValue(runs) is { } file ? RunsFile.Load(file) : [],
                Redis = result.GetValue(redis),
                AdvertisedAddress = result.GetValue(advertise) is { } address
                    ? System.Net.IPAddress.TryParse(address, out var ip) ? ip : throw new ArgumentException($"--advertise: '{address}' is not an IP address")
                    : null,
                ClusterName = result.GetValue(cluster)!,
                ResumePeriod = result.GetValue(resumePeriod) is var seconds and >= 1 and < 86400 * 7
                    ? TimeSpan.FromSeconds(seconds)
                    : throw new ArgumentException($"--resume-period must be 1 s to a week, got {result.GetValue(resumePeriod)}"),
            };
            if (result.GetValue(config) is { } configFile) options = ServerConfigFile.Apply(options, configFile);
            options = options with
            {
                DataRoots = [.. options.DataRoots, .. (result.GetValue(dataRoot) ?? []).Select(Path.GetFullPath)],
                StopCommands = [.. options.StopCommands, .. (result.GetValue(stopCommand) ?? []).Select(NamedCommand.Parse)],
                SignalAllow = result.GetValue(signalAllow) is { } pattern ? ServerConfigFile.Pattern(pattern, "--signal-allow") : options.SignalAllow,
                EndAfterIdle = Seconds(result.GetValue(endAfterIdle), "--end-after-idle") ?? options.EndAfterIdle,
                EndAfterStop = Seconds(result.GetValue(endAfterStop), "--end-after-stop") ?? options.EndAfterStop,
                Webhooks = [.. options.Webhooks, .. WebhookTargets.FromPairs(result.GetValue(webhook) ?? [], result.GetValue(webhookSecret) ?? [])],
                PublicUrl = result.GetValue(publicUrl) ?? options.PublicUrl,
                Influx = influx.Read(result, Path.Combine(result.GetValue(data)!, "influx-spill")) ?? options.Influx,
                LaunchCommands = [.. options.LaunchCommands, .. LaunchCommandOptions.Read(result.GetValue(launchCommand) ?? [], result.GetValue(submitCommand) ?? [], result.GetValue(jobStatus) ?? [])],
                Kubernetes = result.GetValue(kubernetes) || options.Kubernetes,
            };
            if (options.Kubernetes && result.GetResult(cluster) is { Implicit: false })
                throw new ArgumentException("--cluster: with --kubernetes the cluster's ids come from ORLEANS_SERVICE_ID and ORLEANS_CLUSTER_ID");
            await using var app = ServerHost.Create(options);
            await app.StartAsync(ct);
            var clusterName = options.Kubernetes ? Environment.GetEnvironmentVariable(Orleans.Hosting.Kubernetes.KubernetesHostingOptions.ClusterIdEnvironmentVariable) : options.ClusterName;
            Console.WriteLine($"serving the dashboard at {options.Security.Url(options.Port)}/ and the API at /api/runs, state in {(options.Redis is { } r ? $"Redis {r} (cluster {clusterName})" : options.DatabasePath)}");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }
            await app.StopAsync(CancellationToken.None);
            return 0;
        }));
        return command;
    }

    private static TimeSpan? Seconds(double? value, string option) => value switch
    {
        null => null,
        >= 1 and <= 365 * 86400 => TimeSpan.FromSeconds(value.Value),
        _ => throw new ArgumentException($"{option} must be 1 s to a year, got {value}"),
    };
}
