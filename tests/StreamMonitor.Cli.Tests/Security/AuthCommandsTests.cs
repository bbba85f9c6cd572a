using StreamMonitor.Dashboard.Security;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Security;

/// <summary><c>streammonitor users</c> and <c>keys</c>: what they write to the auth file, and their errors.</summary>
public sealed class AuthCommandsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void UsersAndKeysAreAddedListedAndRemovedInTheDataFolderHashed()
    {
        var data = _temp.File("data");
        var added = StreamMonitorCli.Run("keys", "add", "ci", "--role", "operator", "--data", data);
        Assert.True(added.ExitCode == 0, added.StandardError);
        var key = added.StandardOutput.Trim();
        Assert.StartsWith("smk_", key);
        Assert.Contains("shown only now", added.StandardError);
        var user = StreamMonitorCli.RunWithInput("password one\n", "users", "add", "alice", "--role", "admin", "--password-stdin", "--data", data);
        Assert.True(user.ExitCode == 0, user.StandardError);

        var file = Path.Combine(data, "auth.json");
        var text = File.ReadAllText(file);
        Assert.DoesNotContain(key, text);
        Assert.DoesNotContain("password one", text);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var stored = AuthFile.Load(file);
        Assert.Equal(Role.Operator, stored.FindKey(key)?.Role);
        Assert.Equal(Role.Admin, stored.CheckPassword("alice", "password one")?.Role); // the piped newline is not part of it

        Assert.Matches(@"^alice\s+admin\s+\d{4}-", StreamMonitorCli.Run("users", "list", "--data", data).StandardOutput);
        Assert.Matches(@"^ci\s+operator\s+\d{4}-", StreamMonitorCli.Run("keys", "list", "--data", data).StandardOutput);
        Assert.Equal(0, StreamMonitorCli.Run("keys", "rm", "ci", "--data", data).ExitCode);
        var none = StreamMonitorCli.Run("keys", "list", "--data", data);
        Assert.Equal("", none.StandardOutput);
        Assert.Contains($"no keys in {file}", none.StandardError);
        Assert.Null(AuthFile.Load(file).FindKey(key));
    }

    [Fact]
    public void MistakesAreOneLineNamingTheFileOrTheOption()
    {
        var file = _temp.File("elsewhere/auth.json");
        Assert.Equal(0, StreamMonitorCli.RunWithInput("password one", "users", "add", "alice", "--password-stdin", "--auth", file).ExitCode);

        Refused(2, "the password must have at least 8 characters", StreamMonitorCli.RunWithInput("short\n", "users", "add", "bob", "--password-stdin", "--auth", file));
        Refused(1, $"{file}: user 'alice' exists", StreamMonitorCli.RunWithInput("password two\n", "users", "add", "alice", "--password-stdin", "--auth", file));
        Refused(1, $"{file}: no user 'bob'", StreamMonitorCli.Run("users", "rm", "bob", "--auth", file));
        Refused(2, "--role: 'root' is not a role (viewer, operator, admin)", StreamMonitorCli.Run("keys", "add", "ci", "--role", "root", "--auth", file));
        Refused(2, "key name 'c:i'", StreamMonitorCli.Run("keys", "add", "c:i", "--auth", file));
        // The tests' standard input is not a terminal: no prompt to hang on.
        Refused(2, "--password-stdin", StreamMonitorCli.RunWithInput("", "users", "add", "bob", "--auth", file));

        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite);
        Refused(1, $"chmod 600 {file}", StreamMonitorCli.Run("users", "list", "--auth", file));
    }

    private static void Refused(int exitCode, string message, ExternalProcess.Result result)
    {
        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}: {result.StandardError}");
        Assert.Contains(message, result.StandardError);
        Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
