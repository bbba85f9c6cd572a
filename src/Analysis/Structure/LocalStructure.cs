namespace StreamMonitor.Analysis.Structure;

/// <summary>The local structures common-neighbour analysis recognises; anything else is <see cref="Other"/>.</summary>
public enum LocalStructure
{
    Other,
    Fcc,
    Hcp,
    Bcc,
    Ico,
}
