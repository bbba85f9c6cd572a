namespace StreamMonitor.Classification.Oracles;

/// <summary>Names of <see cref="OracleStructure"/> values and which of them are crystals.</summary>
public static class OracleStructures
{
    /// <summary>The crystal structures, the ones training data and agreement scores use.</summary>
    public static IReadOnlyList<OracleStructure> Crystals { get; } = [OracleStructure.Fcc, OracleStructure.Hcp, OracleStructure.Bcc];

    public static string Name(OracleStructure structure) => structure switch
    {
        OracleStructure.Fcc => "fcc",
        OracleStructure.Hcp => "hcp",
        OracleStructure.Bcc => "bcc",
        OracleStructure.Ico => "ico",
        _ => "other",
    };

    public static bool IsCrystal(OracleStructure structure) => structure is OracleStructure.Fcc or OracleStructure.Hcp or OracleStructure.Bcc;
}
