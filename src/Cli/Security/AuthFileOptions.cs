using System.CommandLine;
using StreamMonitor.Dashboard.Security;

namespace StreamMonitor.Cli.Security;

/// <summary>
/// What <c>users</c> and <c>keys</c> share: the auth file they edit (<c>--auth</c>, or auth.json in <c>--data</c>, the
/// same default as <c>serve</c>), their <c>rm</c> and <c>list</c> subcommands, and how a refused change is reported.
/// </summary>
internal sealed class AuthFileOptions
{
    private readonly Option<string?> _auth = AuthOption();
    private readonly Option<string> _data = new("--data")
    {
        Description = "The server's data folder (serve --data); the auth file is auth.json in it.",
        DefaultValueFactory = _ => DataFolder.Default,
        Recursive = true,
    };

    public static Option<string?> AuthOption() => new("--auth") { Description = "The auth file (default: auth.json in the --data folder).", Recursive = true };

    public static Option<string> RoleOption() => new("--role")
    {
        Description = "viewer (read), operator (also stop runs, acknowledge alerts) or admin (also register and remove runs, edit rules).",
        DefaultValueFactory = _ => Roles.Viewer,
    };

    public string PathOf(ParseResult result) => Path.GetFullPath(result.GetValue(_auth) ?? AuthFile.DefaultPath(result.GetValue(_data)!));

    /// <summary>Applies <paramref name="change"/> to the file; a name that exists or is missing is one line naming the file.</summary>
    public static void Update(string path, Func<CredentialSet, CredentialSet> change)
    {
        try
        {
            AuthFile.Update(path, change);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
        {
            throw new CliException($"{path}: {e.Message}", CliErrors.DataError);
        }
    }

    /// <summary>
    /// The <c>users</c> or <c>keys</c> command: <paramref name="add"/>, plus <c>rm NAME</c> and <c>list</c> over the
    /// entries <paramref name="entries"/> picks from the file.
    /// </summary>
    public Command Group(string name, string description, Command add,
        Func<CredentialSet, IEnumerable<Credential>> entries,
        Func<CredentialSet, string, CredentialSet> remove)
    {
        var removed = new Argument<string>("NAME");
        var rm = new Command("rm", $"Remove one of the {name}; the running server stops accepting it at its next request.") { removed };
        rm.SetAction((result, _) => CliErrors.RunAsync(() =>
        {
            var path = PathOf(result);
            Update(path, set => remove(set, result.GetValue(removed)!));
            Console.Error.WriteLine($"removed '{result.GetValue(removed)}' from {path}");
            return Task.FromResult(0);
        }));

        var list = new Command("list", $"List the {name}: name, role, when added.");
        list.SetAction((result, _) => CliErrors.RunAsync(() =>
        {
            var path = PathOf(result);
            var rows = entries(AuthFile.Load(path)).ToList();
            if (rows.Count == 0) Console.Error.WriteLine($"no {name} in {path}");
            int width = rows.Select(r => r.Name.Length).DefaultIfEmpty(0).Max();
            foreach (var row in rows) Console.WriteLine($"{row.Name.PadRight(width)}  {row.Role.Name(),-8}  {row.Created:yyyy-MM-dd HH:mm:ssZ}");
            return Task.FromResult(0);
        }));

        return new Command(name, description) { _auth, _data, add, rm, list };
    }
}
