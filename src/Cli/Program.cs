using System.CommandLine;
using System.Runtime.InteropServices;
using StreamMonitor.Cli;
using StreamMonitor.Cli.Campaigns;
using StreamMonitor.Cli.Descriptors;
using StreamMonitor.Cli.Models;
using StreamMonitor.Cli.Runs;
using StreamMonitor.Cli.Security;
using StreamMonitor.Cli.Watch;

var root = new RootCommand("StreamMonitor: live monitoring of molecular-dynamics trajectories.")
{
    Subcommands =
    {
        FramesCommand.Create(), DescriptorsCommand.Create(), DemoCommand.Create(),
        DatasetCommand.Create(), TrainCommand.Create(), EvaluateCommand.Create(), ClassifyCommand.Create(), ImportWeightsCommand.Create(),
        WatchCommand.Create(), ServeCommand.Create(), RunsCommand.Create(), UsersCommand.Create(), KeysCommand.Create(),
        CampaignCommand.Create(),
    },
};

// Ctrl-C and SIGTERM (what batch systems and `kill` send) both end a command cleanly: the frame in hand is
// finished and its checkpoint written before the program exits.
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
