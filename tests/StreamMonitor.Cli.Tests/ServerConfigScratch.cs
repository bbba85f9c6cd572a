using StreamMonitor.Dashboard.Hosting;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests;

/// <summary>
/// A temporary folder for <c>serve --config</c> files: <see cref="Apply"/> writes one and reads it as <c>serve</c> does,
/// onto options whose data folder is inside <see cref="Folder"/> (where relative secret files are looked for beside it).
/// </summary>
internal sealed class ServerConfigScratch : IDisposable
{
    public TempDirectory Folder { get; } = new();

    public ServerOptions Apply(string json)
    {
        var path = Folder.File("server.json");
        File.WriteAllText(path, json);
        return ServerConfigFile.Apply(new ServerOptions { DataDirectory = Folder.File("data") }, path);
    }

    public void Dispose() => Folder.Dispose();
}
