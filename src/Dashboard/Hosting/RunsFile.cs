using System.Text.Json;
using StreamMonitor.Dashboard.Api;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>
/// The <c>serve --runs FILE</c> file: a JSON array of run registrations in the <c>POST /api/runs</c> format, or an
/// object with such an array under <c>runs</c>; comments and trailing commas are allowed. Relative trajectory paths are
/// taken from the file's folder (a relative stop file, as always, from its trajectory's folder).
/// </summary>
public static class RunsFile
{
    public static IReadOnlyList<RunRegistration> Load(string path)
    {
        var root = JsonSettingsFile.Read(path, "--runs");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("runs", out var runs)) root = runs;
        if (root.ValueKind != JsonValueKind.Array) throw new FormatException($"{path}: expected an array of runs (or {{\"runs\": [...]}})");

        var result = new List<RunRegistration>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (var entry in root.EnumerateArray())
        {
            var run = RunRegistration.Parse(entry, $"{path}: run {index}");
            if (string.IsNullOrWhiteSpace(run.Id)) throw new FormatException($"{path}: run {index}: 'id' is empty");
            if (!ids.Add(run.Id)) throw new FormatException($"{path}: run {index}: id '{run.Id}' appears twice");
            result.Add(run with { Trajectory = Path.GetFullPath(run.Trajectory, folder) });
            index++;
        }
        return result;
    }
}
