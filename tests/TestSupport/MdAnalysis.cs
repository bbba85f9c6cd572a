using System.Text.Json;

namespace StreamMonitor.TestSupport;

/// <summary>Runs a Python script with the system python3 and MDAnalysis (Debian python3-mdanalysis) and parses its JSON output.</summary>
public static class MdAnalysis
{
    public const string Python = "/usr/bin/python3";

    public static JsonDocument RunJson(string script, params string[] arguments)
    {
        var result = ExternalProcess.Run(Python, ["-c", script, .. arguments], timeout: TimeSpan.FromMinutes(5));
        return JsonDocument.Parse(result.StandardOutput);
    }
}
