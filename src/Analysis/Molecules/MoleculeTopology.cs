using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// The atoms of each molecule of a frame, in compressed rows: molecule m (in increasing id order) holds atom indices
/// <c>AtomsOf(m)</c>, sorted by atom id. Built from the <c>mol</c> column, or, for files without one, from bonds
/// guessed by distance. Immutable.
/// </summary>
/// <remarks>
/// Molecule id 0 is an id like any other here (LAMMPS uses it for atoms outside molecules, but other writers count
/// molecules from 0), so no atom is silently dropped.
/// </remarks>
public sealed class MoleculeTopology
{
    private readonly int[] _ids;
    private readonly int[] _offsets;
    private readonly int[] _atoms;

    private MoleculeTopology(int[] ids, int[] offsets, int[] atoms)
    {
        _ids = ids;
        _offsets = offsets;
        _atoms = atoms;
    }

    /// <summary>Number of molecules.</summary>
    public int Count => _ids.Length;

    /// <summary>Molecule ids, increasing.</summary>
    public ReadOnlySpan<int> Ids => _ids;

    public ReadOnlySpan<int> Offsets => _offsets;

    /// <summary>Indices (into the frame's arrays) of molecule <paramref name="m"/>'s atoms, by increasing atom id.</summary>
    public ReadOnlySpan<int> AtomsOf(int m) => _atoms.AsSpan(_offsets[m], _offsets[m + 1] - _offsets[m]);

    /// <summary>
    /// The molecules of a frame: from its <c>mol</c> column, or, when it has none and <paramref name="bonds"/> is given,
    /// from bonds by distance. Throws when the frame has neither.
    /// </summary>
    /// <param name="cores">The budget the bond search borrows idle cores from; null for <see cref="CoreBudget.Shared"/>.</param>
    public static MoleculeTopology FromFrame(Frame frame, BondCutoffs? bonds = null, CoreBudget? cores = null)
    {
        if (frame.HasMolecules) return FromMoleculeIds(frame.Molecules, frame.Ids);
        if (bonds is null)
            throw new ArgumentException(
                $"the frame has no molecule ids (no 'mol' column; it has: {AtomRoles.DescribeColumns(frame)}) and no bond cutoff was given to find molecules by distance");
        return FromBonds(frame.Box, frame.X, frame.Y, frame.Z, frame.Types, frame.Ids, bonds, cores);
    }

    /// <summary>Groups atoms by molecule id; atoms within a molecule by increasing atom id.</summary>
    public static MoleculeTopology FromMoleculeIds(ReadOnlySpan<int> molecules, ReadOnlySpan<int> atomIds)
    {
        if (molecules.Length != atomIds.Length) throw new ArgumentException("molecule ids and atom ids differ in length");
        int n = molecules.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // Dumps sorted by atom id with molecules in blocks need no sort; anything else is sorted by (mol, id).
        bool sorted = true;
        for (int i = 1; i < n && sorted; i++)
            sorted = molecules[i] > molecules[i - 1] || (molecules[i] == molecules[i - 1] && atomIds[i] > atomIds[i - 1]);
        if (!sorted)
        {
            var keys = new long[n];
            for (int i = 0; i < n; i++) keys[i] = ((long)molecules[i] << 32) | (uint)atomIds[i];
            Array.Sort(keys, order);
        }
        var ids = new List<int>();
        var offsets = new List<int>();
        for (int k = 0; k < n; k++)
        {
            int mol = molecules[order[k]];
            if (k == 0 || mol != molecules[order[k - 1]])
            {
                ids.Add(mol);
                offsets.Add(k);
            }
        }
        offsets.Add(n);
        return new MoleculeTopology([.. ids], [.. offsets], order);
    }

    /// <summary>
    /// Molecules as the connected components of the bond graph: atoms closer than the cutoff of their type pair are
    /// bonded (nearest periodic image, or any image in range in a small cell). Molecule ids are 1, 2, ... in order of
    /// each molecule's lowest atom id.
    /// </summary>
    public static MoleculeTopology FromBonds(SimulationBox box, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z,
        ReadOnlySpan<int> types, ReadOnlySpan<int> atomIds, BondCutoffs bonds, CoreBudget? cores = null)
    {
        ArgumentNullException.ThrowIfNull(bonds);
        int n = x.Length;
        if (y.Length != n || z.Length != n || types.Length != n || atomIds.Length != n)
            throw new ArgumentException("positions, types and ids must have the same length");
        var cellBox = box.HasCell ? box : OpenBoundary.Enclosing(x, y, z, bonds.Max);
        NeighborList list;
        using (var query = new NeighborQuery(cellBox, x, y, z, bonds.Max, cores)) list = query.WithinCutoff(bonds.Max);

        var parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        for (int i = 0; i < n; i++)
        {
            var neighbors = list.Neighbors(i);
            var distances = list.Distances(i);
            for (int p = 0; p < neighbors.Length; p++)
            {
                int j = neighbors[p];
                if (j <= i || distances[p] >= bonds.For(types[i], types[j])) continue;
                int a = DisjointSets.Find(parent, i), b = DisjointSets.Find(parent, j);
                if (a != b) parent[Math.Max(a, b)] = Math.Min(a, b);
            }
        }
        // Number components by their lowest atom id.
        var byId = new int[n];
        for (int i = 0; i < n; i++) byId[i] = i;
        var idKeys = atomIds.ToArray();
        Array.Sort(idKeys, byId);
        var label = new int[n];
        var molecule = new int[n];
        int next = 0;
        foreach (int i in byId)
        {
            int root = DisjointSets.Find(parent, i);
            if (label[root] == 0) label[root] = ++next;
            molecule[i] = label[root];
        }
        return FromMoleculeIds(molecule, atomIds);
    }

    /// <summary>
    /// Positions with every molecule whole: each atom placed at the periodic image nearest to its molecule's reference
    /// atom (<paramref name="referenceAtoms"/>[m], an atom index; by default the molecule's first atom). Correct for
    /// molecules smaller than half the cell, which is what "molecule" means in a periodic simulation. Atoms outside
    /// every molecule keep their position.
    /// </summary>
    public void MakeWhole(SimulationBox box, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z,
        Span<double> wholeX, Span<double> wholeY, Span<double> wholeZ, ReadOnlySpan<int> referenceAtoms = default)
    {
        int n = x.Length;
        if (wholeX.Length < n || wholeY.Length < n || wholeZ.Length < n) throw new ArgumentException("output spans are too short");
        if (!referenceAtoms.IsEmpty && referenceAtoms.Length != Count)
            throw new ArgumentException("one reference atom per molecule is needed", nameof(referenceAtoms));
        for (int i = 0; i < n; i++) (wholeX[i], wholeY[i], wholeZ[i]) = (x[i], y[i], z[i]);
        if (!box.HasCell) return;
        var cell = new PeriodicCell(box);
        for (int m = 0; m < Count; m++)
        {
            var atoms = AtomsOf(m);
            int r = referenceAtoms.IsEmpty ? atoms[0] : referenceAtoms[m];
            var origin = new Vector3d(x[r], y[r], z[r]);
            foreach (int a in atoms)
            {
                var p = origin + cell.MinimumImage(new Vector3d(x[a], y[a], z[a]) - origin);
                (wholeX[a], wholeY[a], wholeZ[a]) = (p.X, p.Y, p.Z);
            }
        }
    }
}
