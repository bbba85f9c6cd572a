namespace StreamMonitor.Classification.Oracles;

/// <summary>
/// The local structures an independent oracle names. Their lower-case names (<see cref="OracleStructures.Name"/>) are
/// the class names of the structure models, so an oracle label and a model class compare by name.
/// </summary>
public enum OracleStructure
{
    Other,
    Fcc,
    Hcp,
    Bcc,
    Ico,
}
