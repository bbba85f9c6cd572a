using StreamMonitor.Monitoring.Control;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>Reads <c>serve --launch-command</c>, <c>--submit-command</c> and <c>--job-status</c> into launch commands.</summary>
public static class LaunchCommandOptions
{
    public static IReadOnlyList<LaunchCommand> Read(IEnumerable<string> local, IEnumerable<string> submit, IEnumerable<string> statuses)
    {
        var commands = local.Select(text => LaunchCommand.Parse(text))
            .Concat(submit.Select(text => LaunchCommand.Parse(text, LaunchKinds.Submit, "--submit-command")))
            .ToList();
        foreach (var text in statuses)
        {
            int eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new FormatException($"--job-status '{text}' is not NAME=TEMPLATE (e.g. slurm='squeue -h -j {{jobid}}')");
            var name = text[..eq].Trim();
            int at = commands.FindIndex(c => c.Name == name && c.Kind == LaunchKinds.Submit);
            if (at < 0) throw new FormatException($"--job-status '{text}': there is no --submit-command '{name}'");
            try
            {
                commands[at] = commands[at].WithStatus(CommandTemplate.Parse(text[(eq + 1)..]));
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"--job-status '{text}': {e.Message}");
            }
        }
        return commands;
    }
}
