
namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// Where a crystal is melting, from the <see cref="FrameSummary.Surface"/> and <see cref="FrameSummary.Core"/>
/// counts, read as the crystalline rows at the crystal's surface and in its core (surface after Kuroshima et al.
/// 2024: fewer than 20 centres within the largest molecular radius + 6 Å). Each part's loss is the share of its
/// crystalline rows at the peak that is gone at the melting frame:
/// <list type="bullet">
/// <item><see cref="Surface"/>: the surface lost at least <see cref="MeltingOptions.SurfaceDominance"/> times the
/// core's share (the core still mostly crystalline: melting from outside in).</item>
/// <item><see cref="Core"/>: the core lost a comparable share or more (the melt has reached, or started in, the core).</item>
/// <item><see cref="Bulk"/>: no surface/core split in the summaries (or neither part lost rows): only the crystal as a
/// whole is known to have melted.</item>
/// </list>
/// </summary>
public static class MeltingModes
{
    public const string Surface = "surface";
    public const string Core = "core";
    public const string Bulk = "bulk";

    /// <summary>The mode and the two losses (NaN where the counts are missing).</summary>
    public static (string Mode, double SurfaceLoss, double CoreLoss) Classify(FrameSummary peak, FrameSummary melting, double surfaceDominance)
    {
        if (peak.Surface is not { } surfacePeak || peak.Core is not { } corePeak || melting.Surface is not { } surface || melting.Core is not { } core)
            return (Bulk, double.NaN, double.NaN);
        double surfaceLoss = Loss(surfacePeak, surface);
        double coreLoss = Loss(corePeak, core);
        if (surfaceLoss == 0 && coreLoss == 0) return (Bulk, surfaceLoss, coreLoss);
        return (surfaceLoss >= surfaceDominance * coreLoss ? Surface : Core, surfaceLoss, coreLoss);
    }

    private static double Loss(int before, int after) => before <= 0 ? 0 : Math.Max(0, (double)(before - after) / before);
}
