using System.Text.RegularExpressions;
using StreamMonitor.TestSupport;
using YamlDotNet.RepresentationModel;

namespace StreamMonitor.Cli.Tests.Deploy;

/// <summary>
/// deploy/: the compose file and the Kubernetes manifests parse and agree with the application: the options they give
/// <c>serve</c> are its options, each compose silo advertises its own address, the Kubernetes silos get what Orleans'
/// Kubernetes hosting needs (<see cref="StreamMonitor.Grains.Hosting.KubernetesHosting"/>), and the ports, secrets and
/// volumes the options point at are declared and mounted (trajectories read-only); images are pinned and the Grafana
/// files exist.
/// </summary>
public sealed class DeployFilesTests
{
    private static readonly string Deploy = Path.Combine(RepositoryPaths.Root, "deploy");

    /// <summary>serve's options, as its own help lists them.</summary>
    private static readonly Lazy<HashSet<string>> ServeOptions = new(() =>
    {
        var help = StreamMonitorCli.Run("serve", "--help");
        Assert.Equal(0, help.ExitCode);
        return Regex.Matches(help.StandardOutput, @"^\s+(--[a-z][a-z-]*)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
    });

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<YamlMappingNode> LoadAll(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode);
    }

    /// <summary>The node at <paramref name="path"/>, looking through YAML merge keys (<c>&lt;&lt;: *silo</c>) as compose does.</summary>
    private static YamlNode? Get(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map) return null;
            if (map.Children.TryGetValue(new YamlScalarNode(key), out var next)) node = next;
            else if (map.Children.TryGetValue(new YamlScalarNode("<<"), out var merged) && Get(merged, key) is { } inherited) node = inherited;
            else return null;
        }
        return node;
    }

    private static string Text(YamlNode? node) => node is YamlScalarNode { Value: { } value } ? value : "";

    private static List<string> Strings(YamlNode? node) => node is YamlSequenceNode list ? list.Children.Select(Text).ToList() : [];

    /// <summary>The value after <paramref name="option"/> in a serve command line.</summary>
    private static string? ValueOf(List<string> arguments, string option) =>
        arguments.IndexOf(option) is var i and >= 0 && i + 1 < arguments.Count ? arguments[i + 1] : null;

    /// <summary>Checks a serve command line: known options, and the addresses every silo needs in a cluster.</summary>
    private static void CheckServe(List<string> arguments, string where, ISet<string> services)
    {
        Assert.True(arguments.Count > 0 && arguments[0] == "serve", $"{where}: runs '{string.Join(' ', arguments)}', not serve");
        foreach (var option in arguments.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
            Assert.True(ServeOptions.Value.Contains(option), $"{where}: serve has no option {option}");
        Assert.Equal("0.0.0.0:5080", ValueOf(arguments, "--listen"));
        var redis = ValueOf(arguments, "--redis")!.Split(':');
        Assert.True(services.Contains(redis[0]) && redis[1] == "6379", $"{where}: --redis {string.Join(':', redis)} is not the redis service");
        var influx = new Uri(ValueOf(arguments, "--influx")!);
        Assert.True(services.Contains(influx.Host) && influx.Port == 8086, $"{where}: --influx {influx} is not the influxdb service");
        Assert.NotNull(ValueOf(arguments, "--auth"));
        Assert.NotNull(ValueOf(arguments, "--influx-password-file"));
        Assert.Equal("/data/runs", ValueOf(arguments, "--data-root"));
    }

    /// <summary>The fields of the pod's own description each of its variables comes from (the downward API).</summary>
    private static readonly Dictionary<string, string> PodFields = new()
    {
        ["POD_NAME"] = "metadata.name",
        ["POD_NAMESPACE"] = "metadata.namespace",
        ["POD_IP"] = "status.podIP",
    };

    /// <summary>
    /// A silo under Orleans' Kubernetes hosting: <c>--kubernetes</c> in place of <c>--advertise</c>, every variable the
    /// hosting reads set in the pod (the pod's own from the downward API), the pod labelled with the ids the silo takes
    /// from its variables, and its service account bound to a role that grants what the hosting does to pods.
    /// </summary>
    private static void CheckKubernetesHosting(List<string> arguments, YamlMappingNode template, YamlMappingNode container, List<YamlMappingNode> documents)
    {
        Assert.Contains("--kubernetes", arguments);
        Assert.DoesNotContain("--advertise", arguments);
        Assert.DoesNotContain("--cluster", arguments);

        var labels = ((YamlMappingNode)Get(template, "metadata", "labels")!).Children.ToDictionary(l => Text(l.Key), l => Text(l.Value));
        var env = ((YamlSequenceNode)Get(container, "env")!).Children.ToDictionary(e => Text(Get(e, "name")));
        // A variable's value as the pod sees it: given outright, or one of the pod's labels through the downward API.
        string? Resolved(string variable)
        {
            var entry = env[variable];
            if (Get(entry, "value") is { } value) return Text(value);
            var field = Text(Get(entry, "valueFrom", "fieldRef", "fieldPath"));
            return Regex.Match(field, @"^metadata\.labels\['([^']+)'\]$") is { Success: true } label ? labels.GetValueOrDefault(label.Groups[1].Value) : null;
        }
        foreach (var variable in StreamMonitor.Grains.Hosting.KubernetesHosting.EnvironmentVariables)
        {
            Assert.True(env.ContainsKey(variable), $"streammonitor: the pod does not set {variable}, which --kubernetes needs");
            if (PodFields.TryGetValue(variable, out var field))
                Assert.Equal(field, Text(Get(env[variable], "valueFrom", "fieldRef", "fieldPath")));
        }
        foreach (var (label, variable) in StreamMonitor.Grains.Hosting.KubernetesHosting.PodLabels)
        {
            Assert.True(labels.TryGetValue(label, out var id) && id.Length > 0, $"streammonitor: the pod has no label {label}");
            Assert.Equal(id, Resolved(variable));
        }

        var account = Text(Get(template, "spec", "serviceAccountName"));
        Assert.Contains(documents, d => Text(Get(d, "kind")) == "ServiceAccount" && Text(Get(d, "metadata", "name")) == account);
        var roles = documents
            .Where(d => Text(Get(d, "kind")) == "RoleBinding"
                && Get(d, "subjects") is YamlSequenceNode subjects
                && subjects.Children.Any(s => Text(Get(s, "kind")) == "ServiceAccount" && Text(Get(s, "name")) == account)
                && Text(Get(d, "roleRef", "kind")) == "Role")
            .Select(d => Text(Get(d, "roleRef", "name")))
            .ToHashSet();
        var granted = documents
            .Where(d => Text(Get(d, "kind")) == "Role" && roles.Contains(Text(Get(d, "metadata", "name"))))
            .SelectMany(d => ((YamlSequenceNode)Get(d, "rules")!).Children)
            .Where(rule => Strings(Get(rule, "apiGroups")).Contains("") && Strings(Get(rule, "resources")).Contains("pods"))
            .SelectMany(rule => Strings(Get(rule, "verbs")))
            .ToHashSet();
        foreach (var verb in StreamMonitor.Grains.Hosting.KubernetesHosting.PodVerbs)
            Assert.True(granted.Contains(verb), $"streammonitor: service account {account} may not {verb} pods, which Kubernetes hosting does");
    }

    private static void CheckImage(string image, string where) =>
        Assert.True(Regex.IsMatch(image, @"^[a-z0-9./-]+:[0-9][A-Za-z0-9.-]*$"), $"{where}: image '{image}' is not pinned to a version");

    [Fact]
    public void The_compose_file_runs_three_silos_that_advertise_their_own_addresses_and_mount_what_their_options_name()
    {
        var compose = Load(Path.Combine(Deploy, "compose.yaml"));
        var services = (YamlMappingNode)Get(compose, "services")!;
        var names = services.Children.Keys.Select(Text).ToHashSet();
        Assert.Superset(new HashSet<string> { "redis", "influxdb", "grafana", "silo1", "silo2", "silo3" }, names);
        Assert.Contains("--appendonly", Strings(Get(services, "redis", "command")));
        var declaredSecrets = ((YamlMappingNode)Get(compose, "secrets")!).Children.Keys.Select(Text).ToHashSet();
        var declaredVolumes = ((YamlMappingNode)Get(compose, "volumes")!).Children.Keys.Select(Text).ToHashSet();
        var advertised = new HashSet<string>();
        foreach (var (key, node) in services.Children)
        {
            var name = Text(key);
            CheckImage(Text(Get(node, "image")), name);
            foreach (var secret in Strings(Get(node, "secrets"))) Assert.Contains(secret, declaredSecrets);
            foreach (var volume in Strings(Get(node, "volumes")))
            {
                var source = volume.Split(':')[0];
                if (source.StartsWith('.')) Assert.True(Directory.Exists(Path.GetFullPath(source, Deploy)), $"{name}: mounts {source}, which does not exist");
                else if (!source.StartsWith('$') && !source.StartsWith('/')) Assert.Contains(source, declaredVolumes);
            }
            if (!name.StartsWith("silo", StringComparison.Ordinal)) continue;
            var arguments = Strings(Get(node, "command"));
            CheckServe(arguments, name, names);
            var address = ValueOf(arguments, "--advertise")!;
            Assert.Equal(Text(Get(node, "networks", "cluster", "ipv4_address")), address);
            Assert.True(advertised.Add(address), $"{name} advertises {address}, as another silo does");
            Assert.Contains(Strings(Get(node, "ports")), p => p.EndsWith(":5080", StringComparison.Ordinal));
            var volumes = Strings(Get(node, "volumes"));
            Assert.Contains(volumes, v => v.EndsWith(":/data/runs:ro", StringComparison.Ordinal));
            Assert.Contains(volumes, v => v.EndsWith(":" + ValueOf(arguments, "--data"), StringComparison.Ordinal));
            // Secrets a silo's options read are the ones compose mounts at /run/secrets/NAME for it.
            var secrets = Strings(Get(node, "secrets")).ToHashSet();
            foreach (var option in new[] { "--auth", "--influx-password-file" })
            {
                var path = ValueOf(arguments, option)!;
                Assert.StartsWith("/run/secrets/", path);
                Assert.Contains(path["/run/secrets/".Length..], secrets);
            }
        }
        Assert.Equal(3, advertised.Count);
        foreach (var path in new[] { "../grafana/provisioning/datasources", "../grafana/provisioning/dashboards", "../grafana/dashboards" })
            Assert.True(Directory.Exists(Path.GetFullPath(path, Deploy)), path);
    }

    [Fact]
    public void The_kubernetes_manifests_run_silos_under_kubernetes_hosting_with_its_environment_labels_and_role_and_mount_what_their_options_name()
    {
        var folder = Path.Combine(Deploy, "kubernetes");
        var kustomization = Load(Path.Combine(folder, "kustomization.yaml"));
        var documents = Strings(Get(kustomization, "resources")).SelectMany(r => LoadAll(Path.Combine(folder, r))).ToList();
        foreach (var generator in ((YamlSequenceNode)Get(kustomization, "configMapGenerator")!).Children)
            foreach (var file in Strings(Get(generator, "files")))
                Assert.True(File.Exists(Path.GetFullPath(file, folder)), $"configMapGenerator: {file} does not exist");
        var services = documents.Where(d => Text(Get(d, "kind")) == "Service").Select(d => Text(Get(d, "metadata", "name"))).ToHashSet();
        Assert.Superset(new HashSet<string> { "redis", "influxdb", "grafana", "streammonitor" }, services);

        var workloads = documents.Where(d => Text(Get(d, "kind")) is "Deployment" or "StatefulSet").ToList();
        foreach (var workload in workloads)
        {
            var name = Text(Get(workload, "metadata", "name"));
            var pod = Get(workload, "spec", "template", "spec")!;
            var volumes = ((YamlSequenceNode?)Get(pod, "volumes"))?.Children.Select(v => Text(Get(v, "name"))).ToHashSet() ?? [];
            var claims = ((YamlSequenceNode?)Get(workload, "spec", "volumeClaimTemplates"))?.Children.Select(v => Text(Get(v, "metadata", "name"))) ?? [];
            volumes.UnionWith(claims);
            foreach (var container in ((YamlSequenceNode)Get(pod, "containers")!).Children)
            {
                CheckImage(Text(Get(container, "image")), name);
                var mounts = ((YamlSequenceNode?)Get(container, "volumeMounts"))?.Children ?? [];
                foreach (var mount in mounts) Assert.True(volumes.Contains(Text(Get(mount, "name"))), $"{name}: mounts volume {Text(Get(mount, "name"))}, which it does not declare");
                if (name != "streammonitor") continue;
                var arguments = Strings(Get(container, "args"));
                CheckServe(arguments, name, services);
                CheckKubernetesHosting(arguments, (YamlMappingNode)Get(workload, "spec", "template")!, (YamlMappingNode)container, documents);
                var ports = ((YamlSequenceNode)Get(container, "ports")!).Children.Select(p => Text(Get(p, "containerPort"))).ToHashSet();
                Assert.Contains("5080", ports);
                Assert.Contains(ValueOf(arguments, "--silo-port")!, ports);
                // Every file an option reads lies under a mounted volume; trajectories are mounted read-only.
                var mounted = mounts.Select(m => (Path: Text(Get(m, "mountPath")), ReadOnly: Text(Get(m, "readOnly")) == "true")).ToList();
                foreach (var option in new[] { "--auth", "--influx-password-file", "--data-root", "--data" })
                {
                    var path = ValueOf(arguments, option)!;
                    Assert.True(mounted.Any(m => path == m.Path || path.StartsWith(m.Path + "/", StringComparison.Ordinal)), $"{name}: {option} {path} is on no mounted volume");
                }
                Assert.Contains(mounted, m => m.Path == "/data/runs" && m.ReadOnly);
            }
        }
        Assert.Equal(3, int.Parse(Text(Get(workloads.Single(w => Text(Get(w, "metadata", "name")) == "streammonitor"), "spec", "replicas")), System.Globalization.CultureInfo.InvariantCulture));
    }
}
