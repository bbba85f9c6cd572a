using System.CommandLine;
using StreamMonitor.Dashboard.Security;

namespace StreamMonitor.Cli.Security;

/// <summary>
/// <c>streammonitor users add NAME --role ROLE | rm NAME | list</c>: the people who log in to the server with a
/// password (HTTP Basic, or the dashboard's login). Only a salted hash of the password is written.
/// </summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var file = new AuthFileOptions();
        var name = new Argument<string>("NAME") { Description = "The user name (letters, digits, '.', '_', '-'); the principal is user:NAME." };
        var role = AuthFileOptions.RoleOption();
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input instead of asking for it." };
        var add = new Command("add", "Add a user; the password is asked for (or read with --password-stdin).") { name, role, passwordStdin };
        add.SetAction((result, _) => CliErrors.RunAsync(() =>
        {
            var path = file.PathOf(result);
            var userName = result.GetValue(name)!;
            var userRole = Roles.Parse(result.GetValue(role), "--role");
            // Checked before the password is asked for, so a bad name does not cost typing it twice.
            CredentialSet.CheckName(userName, "user");
            var user = new UserCredential
            {
                Name = userName,
                Role = userRole,
                PasswordHash = Passwords.Hash(PasswordInput.Read(result.GetValue(passwordStdin))),
                Created = DateTimeOffset.UtcNow,
            };
            AuthFileOptions.Update(path, set => set.WithUser(user));
            Console.Error.WriteLine($"user '{user.Name}' ({user.Role.Name()}) added to {path}");
            return Task.FromResult(0);
        }));
        return file.Group("users", "Users who log in with a password: add, rm, list.", add,
            set => set.Users, (set, n) => set.WithoutUser(n));
    }
}
