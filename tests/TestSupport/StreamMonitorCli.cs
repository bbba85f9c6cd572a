using System.Diagnostics;

namespace StreamMonitor.TestSupport;

/// <summary>Runs the real <c>streammonitor</c> program (built beside the tests) as a separate process.</summary>
public static class StreamMonitorCli
{
    public static string Assembly => Path.Combine(AppContext.BaseDirectory, "streammonitor.dll");

    public static ExternalProcess.Result Run(params string[] arguments) => Run(new Dictionary<string, string>(), arguments);

    /// <summary>Runs with these environment variables set (an empty value stands for an unset one to the program's checks).</summary>
    public static ExternalProcess.Result Run(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ExternalProcess.Run("dotnet", [Assembly, .. arguments], check: false, timeout: TimeSpan.FromMinutes(3), environment: environment);

    /// <summary>Runs with <paramref name="standardInput"/> piped in (a password for <c>--password-stdin</c>).</summary>
    public static ExternalProcess.Result RunWithInput(string standardInput, params string[] arguments) =>
        ExternalProcess.Run("dotnet", [Assembly, .. arguments], standardInput: standardInput, check: false, timeout: TimeSpan.FromMinutes(3));

    public static Process Start(params string[] arguments) => ExternalProcess.Start("dotnet", [Assembly, .. arguments]);

    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ExternalProcess.Start("dotnet", [Assembly, .. arguments], environment: environment);
}
