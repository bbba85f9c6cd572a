using System.CommandLine;
using StreamMonitor.Dashboard.Security;

namespace StreamMonitor.Cli.Security;

/// <summary>
/// <c>streammonitor keys add NAME --role ROLE | rm NAME | list</c>: API keys for scripts, sent as
/// <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>. <c>add</c> prints the new key on standard output, the
/// only time it is shown; the file keeps its SHA-256.
/// </summary>
internal static class KeysCommand
{
    public const string Prefix = "smk_";

    public static Command Create()
    {
        var file = new AuthFileOptions();
        var name = new Argument<string>("NAME") { Description = "What the key is for, e.g. ci (letters, digits, '.', '_', '-'); the principal is key:NAME." };
        var role = AuthFileOptions.RoleOption();
        var add = new Command("add", "Make a key and print it (once; only its hash is kept).") { name, role };
        add.SetAction((result, _) => CliErrors.RunAsync(() =>
        {
            var path = file.PathOf(result);
            var key = Secrets.New(Prefix);
            var entry = new ApiKeyCredential
            {
                Name = result.GetValue(name)!,
                Role = Roles.Parse(result.GetValue(role), "--role"),
                Sha256 = Secrets.Hash(key),
                Created = DateTimeOffset.UtcNow,
            };
            AuthFileOptions.Update(path, set => set.WithKey(entry));
            Console.WriteLine(key);
            Console.Error.WriteLine($"key '{entry.Name}' ({entry.Role.Name()}) added to {path}; it is shown only now");
            return Task.FromResult(0);
        }));
        return file.Group("keys", "API keys for scripts: add, rm, list.", add,
            set => set.Keys, (set, n) => set.WithoutKey(n));
    }
}
