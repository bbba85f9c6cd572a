using Spectre.Console;

namespace StreamMonitor.Cli.Security;

/// <summary>A new password: typed twice at a prompt that does not echo it, or piped (<c>--password-stdin</c>), never an argument that <c>ps</c> and shell history would show.</summary>
internal static class PasswordInput
{
    public static string Read(bool fromStandardInput)
    {
        if (fromStandardInput) return Console.In.ReadToEnd().TrimEnd('\r', '\n');
        if (Console.IsInputRedirected)
            throw new CliException("no terminal to ask for the password on; pipe it in with --password-stdin");
        var password = AnsiConsole.Prompt(new TextPrompt<string>("Password:").Secret());
        var again = AnsiConsole.Prompt(new TextPrompt<string>("Again:").Secret());
        if (password != again) throw new CliException("the two passwords differ; nothing changed");
        return password;
    }
}
