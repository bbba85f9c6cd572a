using StreamMonitor.Analysis.Structure;
using StreamMonitor.Core;

namespace StreamMonitor.Classification.Oracles;

/// <summary>
/// Labels the atoms of a thermal frame from adaptive common-neighbour analysis of its inherent structure (the same atoms
/// quenched), keeping only labels the thermal frame itself bears out. a-CNA of the quenched frame names a structure for
/// nearly every crystalline atom, but a quench does not always stay in the thermal structure's basin: LJ bcc is not a
/// minimum, and about half of a bcc crystal at T = 0.75 (which a-CNA of the thermal frame finds 41% bcc and 2% close
/// packed) quenches to fcc or hcp; liquid next to a crystal quenches onto it. a-CNA of the thermal frame never takes one
/// lattice for another but recognises only part of a warm crystal's atoms. So an atom's quenched structure counts as
/// unambiguous only when at least <see cref="Witnesses"/> of the atom and its 12 nearest quenched neighbours have that
/// structure in the thermal frame, and more of them have it than any other structure.
/// </summary>
public sealed class QuenchedStructureLabeller
{
    /// <summary>The neighbourhood that votes: the atom and its nearest neighbours in the quenched frame.</summary>
    public const int Neighborhood = 12;

    private static readonly AdaptiveCommonNeighbourAnalysis Cna = new();

    /// <param name="witnesses">Atoms of the neighbourhood (of 13) that must have the quenched structure in the thermal frame.</param>
    public QuenchedStructureLabeller(int witnesses = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(witnesses, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(witnesses, Neighborhood + 1);
        Witnesses = witnesses;
    }

    public int Witnesses { get; }

    /// <summary>Labels <paramref name="thermal"/>'s atoms (in its order); <paramref name="quenched"/> holds the same ids, in any order.</summary>
    public OracleLabels Label(Frame thermal, Frame quenched)
    {
        if (quenched.AtomCount != thermal.AtomCount)
            throw new OracleException($"frame {thermal.Index}: the quenched frame has {quenched.AtomCount} atoms, the frame {thermal.AtomCount}");
        var thermalAtom = new Dictionary<int, int>(thermal.AtomCount);
        for (int a = 0; a < thermal.AtomCount; a++)
            if (!thermalAtom.TryAdd(thermal.Ids[a], a)) throw new OracleException($"frame {thermal.Index}: atom id {thermal.Ids[a]} appears twice");
        var thermalOf = new int[quenched.AtomCount];
        for (int q = 0; q < quenched.AtomCount; q++)
            thermalOf[q] = thermalAtom.TryGetValue(quenched.Ids[q], out int a)
                ? a
                : throw new OracleException($"frame {thermal.Index}: the quenched frame's atom id {quenched.Ids[q]} is not in the frame");

        var quenchedQuery = AdaptiveCommonNeighbourAnalysis.Query(quenched);
        var inherent = Cna.Compute(quenchedQuery).Structures;
        var observed = Cna.Compute(thermal).Structures;
        var neighbors = quenchedQuery.Count > Neighborhood ? quenchedQuery.Nearest(Neighborhood) : null;

        var structures = new OracleStructure[thermal.AtomCount];
        var unambiguous = new bool[thermal.AtomCount];
        Span<int> votes = stackalloc int[Enum.GetValues<LocalStructure>().Length];
        for (int q = 0; q < quenched.AtomCount; q++)
        {
            int a = thermalOf[q];
            var structure = inherent[q];
            structures[a] = ToOracle(structure);
            if (structure == LocalStructure.Other || neighbors is null) continue;
            votes.Clear();
            votes[(int)observed[a]]++;
            foreach (int j in neighbors.Neighbors(q)) votes[(int)observed[thermalOf[j]]]++;
            int rival = 0;
            for (int s = 0; s < votes.Length; s++)
                if (s != (int)structure && s != (int)LocalStructure.Other) rival = Math.Max(rival, votes[s]);
            unambiguous[a] = votes[(int)structure] >= Witnesses && votes[(int)structure] > rival;
        }
        // An atom no structure was found for is plainly other; only a found structure needs the thermal frame's support.
        for (int a = 0; a < structures.Length; a++) unambiguous[a] |= structures[a] == OracleStructure.Other;
        return new OracleLabels(thermal.Index, thermal.Ids.ToArray(), structures, unambiguous);
    }

    private static OracleStructure ToOracle(LocalStructure structure) => structure switch
    {
        LocalStructure.Fcc => OracleStructure.Fcc,
        LocalStructure.Hcp => OracleStructure.Hcp,
        LocalStructure.Bcc => OracleStructure.Bcc,
        LocalStructure.Ico => OracleStructure.Ico,
        _ => OracleStructure.Other,
    };
}
