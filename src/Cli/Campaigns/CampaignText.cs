using System.Globalization;
using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Cli.Campaigns;

/// <summary>How the campaign commands write shots, progress and totals for people.</summary>
internal static class CampaignText
{
    public static string Shot(ShotRecord shot) => shot.Outcome switch
    {
        ShotOutcome.A or ShotOutcome.B => Invariant($"shot {shot.RunId}: {shot.Outcome} at step {shot.CommitStep} (frame {shot.CommitFrame}){Steps(shot)}"),
        ShotOutcome.Undecided => Invariant($"shot {shot.RunId}: undecided{Steps(shot)}"),
        _ => Invariant($"shot {shot.RunId}: {shot.Outcome.ToString().ToLowerInvariant()}: {shot.Reason}"),
    };

    public static string Progress(CampaignCounts counts) =>
        Invariant($"{counts.Concluded}/{counts.Total} shots: A {counts.A}, B {counts.B}, undecided {counts.Undecided}, running {counts.Running}") +
        (counts.Failed > 0 ? Invariant($", failed {counts.Failed}") : "") + (counts.LostAttempts > 0 ? Invariant($", lost and relaunched {counts.LostAttempts}") : "");

    /// <summary>The MD steps the shots ran against their full length, the saving stopping them made.</summary>
    public static string Steps(CampaignCounts counts) => counts.Saving is { } saving
        ? Invariant($"MD steps run {counts.StepsRun:N0} of {counts.StepsAtFullLength:N0} at full length: {saving:0.0}x fewer")
        : "no shot has ended yet";

    public static double Fraction(CampaignCounts counts) => counts.Total == 0 ? 1 : (double)counts.Concluded / counts.Total;

    private static string Steps(ShotRecord shot) => shot.StepsRun is { } steps ? Invariant($", ran {steps} steps") : "";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
