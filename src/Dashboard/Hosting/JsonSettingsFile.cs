using System.Text.Json;

namespace StreamMonitor.Dashboard.Hosting;

/// <summary>A JSON file a person writes for the server (<c>--runs</c>, <c>--config</c>): comments and trailing commas allowed, one clear error when it does not read.</summary>
internal static class JsonSettingsFile
{
    /// <summary>The file's root element; <paramref name="option"/> names the option in the error for a missing file.</summary>
    public static JsonElement Read(string path, string option)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{option}: {path}: no such file", path);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not JSON ({e.Message})");
        }
    }
}
