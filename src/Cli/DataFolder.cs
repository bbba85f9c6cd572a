namespace StreamMonitor.Cli;

/// <summary>The server's data folder (<c>serve --data</c>), where state.db and, unless moved, the auth file live.</summary>
internal static class DataFolder
{
    public static string Default => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "streammonitor");
}
