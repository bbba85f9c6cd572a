using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Grains.Campaigns;

/// <summary>The launch commands a server was configured with, by name, and the launcher each kind uses.</summary>
public sealed class LaunchCommands(IEnumerable<LaunchCommand> commands)
{
    private readonly Dictionary<string, LaunchCommand> _commands = commands.ToDictionary(c => c.Name, StringComparer.Ordinal);
    private readonly IShotLauncher _local = new LocalShotLauncher();
    private readonly IShotLauncher _submit = new SubmitShotLauncher();

    public IReadOnlyCollection<string> Names => _commands.Keys;

    /// <summary>The command named <paramref name="name"/>; an <see cref="ArgumentException"/> lists the configured ones.</summary>
    public LaunchCommand Get(string name) =>
        _commands.TryGetValue(name, out var command)
            ? command
            : throw new ArgumentException(_commands.Count == 0
                ? $"launch: the server has no launch command '{name}' (it has none; start it with --launch-command NAME=TEMPLATE)"
                : $"launch: the server has no launch command '{name}' (it has: {string.Join(", ", _commands.Keys.Order(StringComparer.Ordinal))})");

    public IShotLauncher LauncherFor(LaunchCommand command) => command.Kind == LaunchKinds.Submit ? _submit : _local;
}
