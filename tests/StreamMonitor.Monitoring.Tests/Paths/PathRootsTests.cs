using StreamMonitor.Monitoring.Paths;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests.Paths;

/// <summary>Paths confined to data roots on the real file system, symbolic links included.</summary>
public sealed class PathRootsTests : IDisposable
{
    private readonly TempDirectory _temp = new("streammonitor-roots-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_path_under_a_root_is_accepted_even_before_it_exists()
    {
        var roots = new PathRoots([_temp.Path]);
        Assert.Equal(_temp.File("a/b/dump.lammpstrj"), roots.Confine(_temp.File("a/b/dump.lammpstrj"), "trajectory"));
        Assert.Equal(_temp.File("x.xtc"), roots.Confine("x.xtc", "trajectory", _temp.Path));
        Assert.Equal(_temp.File("run/dump.*.lammpstrj"), roots.Confine(_temp.File("run/dump.*.lammpstrj"), "trajectory"));
    }

    [Fact]
    public void Dot_dot_and_paths_elsewhere_are_refused_with_the_roots_named()
    {
        var roots = new PathRoots([_temp.Path]);
        var e = Assert.Throws<ArgumentException>(() => roots.Confine("/etc/shadow", "trajectory"));
        Assert.Equal($"trajectory '/etc/shadow' is outside the server's data roots; allowed: {_temp.Path} (serve --data-root adds one)", e.Message);
        Assert.Contains("contains '..'", Assert.Throws<ArgumentException>(() => roots.Confine(_temp.File("a/../../etc/passwd"), "trajectory")).Message);
        Assert.Throws<ArgumentException>(() => roots.Confine(_temp.Path + "-other/x", "trajectory")); // a sibling that shares the prefix
    }

    [Fact]
    public void A_symbolic_link_out_of_the_root_is_refused_and_says_where_it_leads()
    {
        Directory.CreateDirectory(_temp.File("root"));
        Directory.CreateDirectory(_temp.File("outside"));
        File.WriteAllText(_temp.File("outside/secret"), "x");
        Directory.CreateSymbolicLink(_temp.File("root/escape"), _temp.File("outside"));
        File.CreateSymbolicLink(_temp.File("root/link"), "/etc/passwd");
        var roots = new PathRoots([_temp.File("root")]);

        var e = Assert.Throws<ArgumentException>(() => roots.Confine(_temp.File("root/escape/secret"), "trajectory"));
        Assert.Contains($"(it leads to {_temp.File("outside/secret")})", e.Message);
        Assert.Throws<ArgumentException>(() => roots.Confine(_temp.File("root/escape/not-yet"), "trajectory"));
        Assert.Contains("(it leads to /etc/passwd)", Assert.Throws<ArgumentException>(() => roots.Confine(_temp.File("root/link"), "stop file")).Message);
    }

    [Fact]
    public void A_root_reached_through_a_link_still_holds_its_own_files()
    {
        Directory.CreateDirectory(_temp.File("real"));
        Directory.CreateSymbolicLink(_temp.File("alias"), _temp.File("real"));
        var roots = new PathRoots([_temp.File("alias")]);
        // Kept as the real path, so that swapping the link later cannot lead the run elsewhere.
        Assert.Equal(_temp.File("real/dump"), roots.Confine(_temp.File("alias/dump"), "trajectory"));
        Assert.Equal(_temp.File("real/dump"), roots.Confine(_temp.File("real/dump"), "trajectory"));
        Assert.Contains("no such folder", Assert.Throws<ArgumentException>(() => new PathRoots([_temp.File("missing")])).Message);
    }

    [Fact]
    public void A_link_that_leads_nowhere_is_refused_since_it_would_lead_wherever_its_target_appears()
    {
        File.CreateSymbolicLink(_temp.File("later.lammpstrj"), "/home/someone/secret");
        Directory.CreateSymbolicLink(_temp.File("gone"), "/nonexistent/folder");
        var roots = new PathRoots([_temp.Path]);
        Assert.Contains("a symbolic link to /home/someone/secret, which does not exist",
            Assert.Throws<ArgumentException>(() => roots.Confine(_temp.File("later.lammpstrj"), "trajectory")).Message);
        Assert.Throws<ArgumentException>(() => roots.Confine(_temp.File("gone/dump"), "trajectory"));
    }

    [Fact]
    public void The_servers_own_folders_are_refused_under_a_root()
    {
        Directory.CreateDirectory(_temp.File("data"));
        var roots = new PathRoots([_temp.Path], [_temp.File("data")]);
        Assert.Contains("which the server keeps for its own state", Assert.Throws<ArgumentException>(() => roots.Confine(_temp.File("data/auth.json"), "trajectory")).Message);
        Assert.Equal(_temp.File("runs/dump"), roots.Confine(_temp.File("runs/dump"), "trajectory"));
    }
}
