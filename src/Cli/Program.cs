using System.CommandLine;
using StreamMonitor.Cli;

var root = new RootCommand("StreamMonitor: live monitoring of molecular-dynamics trajectories.")
{
    Subcommands = { FramesCommand.Create(), DemoCommand.Create() },
};
return await root.Parse(args).InvokeAsync();
