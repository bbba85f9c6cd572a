using StreamMonitor.Core;
using StreamMonitor.Grains.Hosting;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>
/// <c>serve --kubernetes</c> (or <c>"kubernetes": true</c> in the config file) outside a pod: refused before anything
/// starts, with one line saying what is missing or in the way, never Orleans' exception.
/// </summary>
public sealed class ServeKubernetesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The hosting's variables, all empty (as if unset) but those given.</summary>
    private static Dictionary<string, string> PodEnvironment(params (string Name, string Value)[] set)
    {
        var environment = KubernetesHosting.EnvironmentVariables.ToDictionary(v => v, _ => "");
        foreach (var (name, value) in set) environment[name] = value;
        return environment;
    }

    private ExternalProcess.Result Serve(Dictionary<string, string> environment, params string[] extra) =>
        StreamMonitorCli.Run(environment, ["serve", "--data", _temp.File("data"), "--port", LoopbackPorts.Next().ToString(), .. extra]);

    private static void AssertRefused(ExternalProcess.Result result, string message)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"streammonitor: {message}", result.StandardError.Trim());
    }

    [Fact]
    public void Without_redis_it_is_refused_from_the_command_line_and_from_the_config_file()
    {
        const string message = "Kubernetes hosting (--kubernetes) is for the silos of a Redis cluster: give --redis too";
        AssertRefused(Serve(PodEnvironment(), "--kubernetes"), message);
        var config = _temp.File("server.json");
        File.WriteAllText(config, """{ "kubernetes": true }""");
        AssertRefused(Serve(PodEnvironment(), "--config", config), message);
    }

    [Fact]
    public void With_redis_but_outside_a_pod_it_names_every_missing_variable()
    {
        AssertRefused(Serve(PodEnvironment(("POD_NAME", "streammonitor-0")), "--kubernetes", "--redis", "127.0.0.1:6395"),
            "Kubernetes hosting needs the environment variables POD_NAMESPACE, POD_IP, ORLEANS_SERVICE_ID, ORLEANS_CLUSTER_ID, "
            + "which the pod spec sets (see deploy/kubernetes/streammonitor.yaml)");
        var pod = PodEnvironment(("POD_NAME", "streammonitor-0"), ("POD_NAMESPACE", "md"), ("POD_IP", "pod-ip"),
            ("ORLEANS_SERVICE_ID", "streammonitor"), ("ORLEANS_CLUSTER_ID", "streammonitor"));
        AssertRefused(Serve(pod, "--kubernetes", "--redis", "127.0.0.1:6395"), "POD_IP: 'pod-ip' is not an IP address");
    }

    [Fact]
    public void The_address_and_the_cluster_name_come_from_the_pod_so_their_options_are_refused()
    {
        var pod = PodEnvironment(("POD_NAME", "streammonitor-0"), ("POD_NAMESPACE", "md"), ("POD_IP", "10.1.2.3"),
            ("ORLEANS_SERVICE_ID", "streammonitor"), ("ORLEANS_CLUSTER_ID", "streammonitor"));
        AssertRefused(Serve(pod, "--kubernetes", "--redis", "127.0.0.1:6395", "--advertise", "10.9.9.9"),
            "Kubernetes hosting (--kubernetes) advertises the pod's address from POD_IP: drop --advertise 10.9.9.9");
        AssertRefused(Serve(pod, "--kubernetes", "--redis", "127.0.0.1:6395", "--cluster", "other"),
            "--cluster: with --kubernetes the cluster's ids come from ORLEANS_SERVICE_ID and ORLEANS_CLUSTER_ID");
    }
}
