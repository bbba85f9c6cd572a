using System.Text.Json;
using System.Text.Json.Nodes;
using StreamMonitor.Contracts.Grains;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Grains.Runs;

/// <summary>
/// The fields in which two run configurations differ, named and valued as the registration's JSON has them
/// (<c>trajectory_path: '/a' → '/b'</c>), for the message of a conflicting registration.
/// </summary>
public static class ConfigDifferences
{
    public static IReadOnlyList<string> Between(RunConfig registered, RunConfig asked)
    {
        var before = JsonSerializer.SerializeToNode(registered, ContractJson.Options)!.AsObject();
        var after = JsonSerializer.SerializeToNode(asked, ContractJson.Options)!.AsObject();
        var differences = new List<string>();
        foreach (var name in before.Select(p => p.Key).Union(after.Select(p => p.Key)))
        {
            var a = before[name];
            var b = after[name];
            if (!JsonNode.DeepEquals(a, b)) differences.Add($"{name}: {Show(a)} → {Show(b)}");
        }
        return differences;
    }

    private static string Show(JsonNode? value) => value?.ToJsonString(ContractJson.Options) ?? "null";
}
