namespace StreamMonitor.Classification.Oracles;

/// <summary>
/// An oracle's verdict on one frame: per atom (in the frame's atom order) its id, its structure, and whether that
/// structure is unambiguous. Only unambiguous atoms may serve as labels.
/// </summary>
public sealed class OracleLabels
{
    public OracleLabels(long frameIndex, int[] ids, OracleStructure[] structures, bool[] unambiguous)
    {
        if (structures.Length != ids.Length || unambiguous.Length != ids.Length)
            throw new ArgumentException($"{ids.Length} ids need as many structures and flags, got {structures.Length} and {unambiguous.Length}");
        FrameIndex = frameIndex;
        Ids = ids;
        Structures = structures;
        Unambiguous = unambiguous;
    }

    public long FrameIndex { get; }
    public int[] Ids { get; }
    public OracleStructure[] Structures { get; }
    public bool[] Unambiguous { get; }
    public int Count => Ids.Length;

    /// <summary>The unambiguous crystal structure of atom <paramref name="atom"/> (frame order), or null.</summary>
    public OracleStructure? CrystalOf(int atom) =>
        Unambiguous[atom] && OracleStructures.IsCrystal(Structures[atom]) ? Structures[atom] : null;
}
