namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>How a <see cref="LaunchCommand"/> starts a shot.</summary>
public static class LaunchKinds
{
    /// <summary>Runs the engine as a process of the server's machine, in the shot's folder.</summary>
    public const string Local = "local";

    /// <summary>Submits the shot to a batch system and follows the job id it prints.</summary>
    public const string Submit = "submit";
}
