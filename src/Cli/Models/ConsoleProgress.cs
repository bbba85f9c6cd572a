using Spectre.Console;

namespace StreamMonitor.Cli.Models;

/// <summary>
/// Progress of long work on stderr (stdout stays clean for results): a redrawn line with a bar when stderr is a
/// terminal, otherwise a plain line at most every few seconds so logs of batch jobs stay short.
/// </summary>
internal sealed class ConsoleProgress(string title)
{
    private static readonly bool Interactive = !Console.IsErrorRedirected;
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
    private DateTime _last = DateTime.MinValue;
    private bool _drawn;

    public void Report(string message, double fraction)
    {
        var now = DateTime.UtcNow;
        if (now - _last < (Interactive ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(5))) return;
        _last = now;
        if (Interactive)
        {
            int filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * 30);
            _console.Markup($"\r[bold]{Markup.Escape(title)}[/] [green]{new string('━', filled)}[/][grey]{new string('━', 30 - filled)}[/] {fraction,4:P0} {Markup.Escape(message)}\u001b[K");
            _drawn = true;
        }
        else Console.Error.WriteLine($"{title}: {fraction:P0} {message}");
    }

    public void Done()
    {
        if (_drawn) Console.Error.WriteLine();
    }
}
