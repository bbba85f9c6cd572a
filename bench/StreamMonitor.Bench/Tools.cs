using System.Diagnostics;

namespace StreamMonitor.Bench;

/// <summary>An external program a case needs, how to tell it is there, and how to install it.</summary>
public sealed record Tool(string Name, string Install, Func<bool> IsPresent);

public static class Tools
{
    public const string Python = "/usr/bin/python3";

    public static readonly Tool Lammps = new("lmp", "apt-get install -y lammps", () => OnPath("lmp"));
    public static readonly Tool Redis = new("redis-server", "apt-get install -y redis-server", () => OnPath("redis-server"));
    public static readonly Tool Taskset = new("taskset", "apt-get install -y util-linux", () => OnPath("taskset"));
    public static readonly Tool MdAnalysis = new("python3-mdanalysis (" + Python + " -c 'import MDAnalysis')",
        "apt-get install -y python3-mdanalysis", () => Succeeds(Python, "-W ignore -c \"import MDAnalysis\""));

    private static readonly Dictionary<Tool, bool> Cache = [];

    public static bool Present(Tool tool)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(tool, out bool ok)) Cache[tool] = ok = tool.IsPresent();
            return ok;
        }
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Any(dir => File.Exists(Path.Combine(dir, name)));

    private static bool Succeeds(string file, string args)
    {
        if (!File.Exists(file)) return false;
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
