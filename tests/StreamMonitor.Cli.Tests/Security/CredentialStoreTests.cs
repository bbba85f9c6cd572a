using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMonitor.Dashboard.Security;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Cli.Tests.Security;

/// <summary>The auth file and what is kept in it: hashed keys and passwords, owner-only permissions, re-reading on change.</summary>
public sealed class CredentialStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AKeyIsKeptAsItsSha256AndOnlyTheExactKeyMatches()
    {
        var key = Secrets.New("smk_");
        var set = CredentialSet.Empty.WithKey(Key("ci", Role.Viewer, key)).WithKey(Key("other", Role.Admin, Secrets.New("smk_")));

        Assert.Equal("key:ci", set.FindKey(key)?.Principal);
        // One character off at the end or the start, a prefix, a longer string: none is the key.
        Assert.Null(set.FindKey(key[..^1] + (key[^1] == 'A' ? 'B' : 'A')));
        Assert.Null(set.FindKey((key[4] == 'A' ? "smk_B" : "smk_A") + key[5..]));
        Assert.Null(set.FindKey(key[..^1]));
        Assert.Null(set.FindKey(key + "A"));
        Assert.Null(set.FindKey(""));

        var file = _temp.File("auth.json");
        AuthFile.Save(file, set);
        var text = File.ReadAllText(file);
        Assert.DoesNotContain(key, text);
        Assert.DoesNotContain(key[4..], text);
        Assert.Contains(Secrets.Hash(key), text);
        Assert.Equal("key:ci", AuthFile.Load(file).FindKey(key)?.Principal);
    }

    [Fact]
    public void AStoredHashThatIsNotAHashMatchesNothingRatherThanFailing()
    {
        var secret = Secrets.New("x_");
        var hash = Secrets.Hash(secret);
        Assert.True(Secrets.Matches(hash, secret));
        Assert.True(Secrets.Matches(hash.ToUpperInvariant(), secret));
        Assert.False(Secrets.Matches(hash[..^2], secret));
        Assert.False(Secrets.Matches(hash + "00", secret));
        Assert.False(Secrets.Matches(new string('z', 64), secret));
        Assert.False(Secrets.IsHash(hash[..^1]));
        Assert.False(Secrets.IsHash(new string('g', 64)));
    }

    [Fact]
    public void APasswordIsASaltedHashThatVerifiesOnlyThatPassword()
    {
        var first = Passwords.Hash("correct horse");
        var second = Passwords.Hash("correct horse");
        Assert.NotEqual(first, second); // a salt of its own each time
        Assert.DoesNotContain("correct", first);
        Assert.True(Passwords.IsHash(first));
        Assert.True(Passwords.Verify(second, "correct horse"));
        Assert.False(Passwords.Verify(first, "correct horsE"));
        Assert.False(Passwords.Verify(first, ""));
        Assert.False(Passwords.Verify(null, "correct horse"));
        Assert.Contains("at least 8", Assert.Throws<ArgumentException>(() => Passwords.Hash("short")).Message);

        var set = CredentialSet.Empty.WithUser(new UserCredential { Name = "alice", Role = Role.Operator, PasswordHash = first });
        Assert.Equal("user:alice", set.CheckPassword("alice", "correct horse")?.Principal);
        Assert.Null(set.CheckPassword("alice", "wrong horse"));
        Assert.Null(set.CheckPassword("bob", "correct horse"));
    }

    [Fact]
    public void TheFileIsWrittenForItsOwnerOnlyAndOneOthersCanReachIsRefused()
    {
        var folder = _temp.File("fresh");
        var file = Path.Combine(folder, "auth.json");
        AuthFile.Update(file, set => set.WithKey(Key("a", Role.Viewer, Secrets.New("k_"))));
        AuthFile.Update(file, set => set.WithKey(Key("b", Role.Admin, Secrets.New("k_"))));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal(["a", "b"], AuthFile.Load(file).Keys.Select(k => k.Name));
        Assert.Equal(["auth.json", "auth.json.lock"], Directory.GetFiles(folder).Select(Path.GetFileName).Order()); // no temporary file left over

        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var refused = Assert.Throws<IOException>(() => AuthFile.Load(file));
        Assert.Contains(file, refused.Message);
        Assert.Contains("644", refused.Message);
        Assert.Contains("chmod 600", refused.Message);

        // Saving again replaces the file with a new, owner-only one.
        AuthFile.Save(file, CredentialSet.Empty);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.True(AuthFile.Load(file).IsEmpty);
    }

    [Fact]
    public void ABadFileIsOneErrorNamingTheFileAndTheEntry()
    {
        var file = _temp.File("auth.json");
        var good = CredentialSet.Empty
            .WithUser(new UserCredential { Name = "alice", Role = Role.Admin, PasswordHash = Passwords.Hash("password1") })
            .WithKey(Key("ci", Role.Viewer, Secrets.New("k_")));
        AuthFile.Save(file, good);
        var json = JsonNode.Parse(File.ReadAllText(file))!;

        Assert.Contains("keys[0]: 'sha256'", Refusal(file, Edit(json, j => j["keys"]![0]!["sha256"] = "abc")));
        Assert.Contains("users[0]: 'password_hash'", Refusal(file, Edit(json, j => j["users"]![0]!["password_hash"] = "hunter22")));
        Assert.Contains("$.users[0].role", Refusal(file, Edit(json, j => j["users"]![0]!["role"] = "root")));
        Assert.Contains("passwd", Refusal(file, Edit(json, j => j["users"]![0]!["passwd"] = "x")));
        Assert.Contains("users[1]: user 'alice' appears twice", Refusal(file, Edit(json, j => j["users"]!.AsArray().Add(j["users"]![0]!.DeepClone()))));
        Assert.Contains("keys[0]: key name 'a:b'", Refusal(file, Edit(json, j => j["keys"]![0]!["name"] = "a:b")));
    }

    [Fact]
    public void TheServersStoreSeesChangesAndKeepsTheLastGoodFileWhenOneDoesNotRead()
    {
        var file = _temp.File("auth.json");
        var store = new CredentialStore(file, AuthFile.Load(file), NullLogger<CredentialStore>.Instance);
        Assert.True(store.Current.IsEmpty);

        var key = Secrets.New("k_");
        AuthFile.Update(file, set => set.WithKey(Key("ci", Role.Operator, key)));
        Assert.Equal("key:ci", store.Current.FindKey(key)?.Principal);

        AuthFile.Update(file, set => set.WithoutKey("ci"));
        Assert.Null(store.Current.FindKey(key));

        AuthFile.Update(file, set => set.WithKey(Key("ci", Role.Operator, key)));
        Assert.NotNull(store.Current.FindKey(key));
        File.WriteAllText(file, "{ not json");
        Assert.Equal("key:ci", store.Current.FindKey(key)?.Principal);
    }

    [Fact]
    public void SessionsEndOnLogoutWhenTheUserGoesAndWhenThePasswordChanges()
    {
        var alice = new UserCredential { Name = "alice", Role = Role.Operator, PasswordHash = Passwords.Hash("password1") };
        var set = CredentialSet.Empty.WithUser(alice);
        var sessions = new SessionStore(TimeProvider.System);

        var token = sessions.Start(alice);
        Assert.Equal(alice, sessions.Find(token, set));
        Assert.Equal(Role.Admin, sessions.Find(token, set.WithoutUser("alice").WithUser(alice with { Role = Role.Admin }))?.Role);
        Assert.Null(sessions.Find(token[..^1], set));
        sessions.End(token);
        Assert.Null(sessions.Find(token, set));

        token = sessions.Start(alice);
        Assert.Null(sessions.Find(token, set.WithoutUser("alice")));
        Assert.Null(sessions.Find(token, set)); // ended for good, not just while the user was missing

        token = sessions.Start(alice);
        Assert.Null(sessions.Find(token, set.WithoutUser("alice").WithUser(alice with { PasswordHash = Passwords.Hash("password2") })));
    }

    [Fact]
    public void AnAdminHoldsEveryRoleBelowIt()
    {
        Assert.Equal([Role.Admin, Role.Operator, Role.Viewer], Role.Admin.Including());
        var operatorPrincipal = Caller.Principal("user:bob", Role.Operator, Caller.Methods.Password, "test");
        Assert.True(operatorPrincipal.IsInRole(Roles.Viewer));
        Assert.True(operatorPrincipal.IsInRole(Roles.Operator));
        Assert.False(operatorPrincipal.IsInRole(Roles.Admin));
        Assert.Equal(Role.Operator, operatorPrincipal.Role());
        Assert.Equal(Role.Admin, Roles.Parse("Admin", "--role"));
        Assert.Contains("--role: 'root' is not a role", Assert.Throws<ArgumentException>(() => Roles.Parse("root", "--role")).Message);
    }

    [Theory]
    [InlineData("0.0.0.0:5080", "0.0.0.0", 5080, false)]
    [InlineData("[::]:5081", "::", 5081, false)]
    [InlineData("localhost:5082", "127.0.0.1", 5082, true)]
    [InlineData("127.0.0.2:5083", "127.0.0.2", 5083, true)]
    [InlineData("[::1]:5084", "::1", 5084, true)]
    public void AListenAddressIsAddrColonPort(string text, string address, int port, bool loopback)
    {
        var endpoint = SecurityOptions.ParseListen(text);
        Assert.Equal(address, endpoint.Address.ToString());
        Assert.Equal(port, endpoint.Port);
        Assert.Equal(loopback, new SecurityOptions { ListenAddress = endpoint.Address }.ListensOnLoopback);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("5080")]
    [InlineData("example.org:5080")]
    [InlineData("[::1]")]
    public void AListenAddressWithoutAPortOrWithAHostNameIsRefused(string text) =>
        Assert.StartsWith($"--listen: '{text}' is not ADDR:PORT", Assert.Throws<ArgumentException>(() => SecurityOptions.ParseListen(text)).Message);

    private static ApiKeyCredential Key(string name, Role role, string key) => new() { Name = name, Role = role, Sha256 = Secrets.Hash(key) };

    private static string Edit(JsonNode json, Action<JsonNode> change)
    {
        var copy = json.DeepClone();
        change(copy);
        return copy.ToJsonString();
    }

    private static string Refusal(string file, string content)
    {
        File.WriteAllText(file, content);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var message = Assert.Throws<FormatException>(() => AuthFile.Load(file)).Message;
        Assert.StartsWith(file + ":", message);
        return message;
    }
}
