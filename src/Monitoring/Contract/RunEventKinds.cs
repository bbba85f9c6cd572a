namespace StreamMonitor.Monitoring;

/// <summary>The <see cref="RunEvent.Kind"/> names, shared by detectors, rules files, the CLI and the dashboard.</summary>
public static class RunEventKinds
{
    public const string Nucleation = "nucleation";
    public const string Melting = "melting";
    public const string PolymorphChange = "polymorph_change";
    public const string InterfaceMotion = "interface_motion";
    public const string Commitment = "commitment";
    public const string Stall = "stall";
    public const string Restart = "restart";
    public const string Stop = "stop";

    /// <summary>Kinds a rule may stop a run on.</summary>
    public static IReadOnlyList<string> Detected { get; } = [Nucleation, Melting, PolymorphChange, InterfaceMotion, Commitment, Stall, Restart];
}
