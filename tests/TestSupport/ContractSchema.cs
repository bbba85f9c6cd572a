using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace StreamMonitor.TestSupport;

/// <summary>The repository's JSON contract (<c>schema/streammonitor.schema.json</c>), to check what the programs print and serve against it.</summary>
public static class ContractSchema
{
    public static string File => Path.Combine(RepositoryPaths.Root, "schema", "streammonitor.schema.json");

    // Lazy: building a definition registers its URI, which a second build of it racing the first would refuse.
    private static readonly ConcurrentDictionary<string, Lazy<JsonSchema>> Schemas = new();

    /// <summary>The problems of <paramref name="json"/> as an instance of the definition <paramref name="definition"/>, one line each; empty when it conforms.</summary>
    public static IReadOnlyList<string> Problems(string json, string definition)
    {
        var schema = Schemas.GetOrAdd(definition, d => new Lazy<JsonSchema>(() => Build(d))).Value;
        using var document = JsonDocument.Parse(json);
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid) return [];
        var problems = new List<string>();
        Collect(results, problems);
        return problems.Count > 0 ? problems : ["invalid (no detail)"];
    }

    /// <summary>Fails with every problem, and the JSON, when <paramref name="json"/> does not conform to <paramref name="definition"/>.</summary>
    public static void Check(string json, string definition)
    {
        var problems = Problems(json, definition);
        if (problems.Count > 0)
            throw new InvalidDataException($"not a valid {definition}:\n  {string.Join("\n  ", problems)}\nin {json}");
    }

    /// <summary>The contract document pointed at one of its definitions (a schema per definition, each built once).</summary>
    private static JsonSchema Build(string definition)
    {
        var document = JsonNode.Parse(System.IO.File.ReadAllText(File))!.AsObject();
        if (document["$defs"]?[definition] is null) throw new ArgumentException($"the contract has no definition '{definition}'");
        document.Remove("$id");
        document["$ref"] = $"#/$defs/{definition}";
        return JsonSchema.FromText(document.ToJsonString(), new BuildOptions(), new Uri($"https://contract.test/{definition}"));
    }

    private static void Collect(EvaluationResults results, List<string> problems)
    {
        if (results.Errors is { } errors)
            foreach (var (keyword, message) in errors)
                problems.Add($"{results.InstanceLocation} ({keyword}): {message}");
        foreach (var detail in results.Details ?? []) Collect(detail, problems);
    }
}
