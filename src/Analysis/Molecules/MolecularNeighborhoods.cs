using System.Runtime.InteropServices;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// Each molecule's heavy-atom neighbourhood, what a molecule-centred graph network reads: the molecule's own heavy atoms
/// and every heavy atom of the other molecules closer than <see cref="Cutoff"/> to the molecule's centre, each with its
/// element and its displacement from the centre. The centre is the centroid of the molecule's heavy atoms, the molecule
/// made whole across the periodic boundary; displacements are to the nearest image (every image in range in a small
/// cell). Hydrogens are not nodes: many dumps do not tell them apart, and they would double the nodes.
/// </summary>
/// <remarks>
/// <para>
/// Elements and molecules come from the same atom roles as the symmetry functions (a role column, element names, atomic
/// numbers, masses, or a user's <see cref="AtomRoleMapping"/>), and the molecules are those of
/// <see cref="OrientedMolecules"/>, in the same order, so rows of both line up. Atoms of molecules without a center atom
/// (another species) are not nodes. Every molecule must have the heavy atoms of the roles' composition; one that does not
/// is an error naming it.
/// </para>
/// <para>
/// A molecule's own atoms are nodes whatever the cutoff. The other atoms are found by a search over the molecule
/// centres out to the cutoff plus the largest centre-to-atom distance of the frame, then kept when closer than the
/// cutoff; they follow the own atoms nearest first (ties by frame index), so a caller that keeps only the first nodes
/// drops the farthest.
/// </para>
/// </remarks>
public sealed class MolecularNeighborhoods
{
    public const string Hydrogen = "H";

    private const int ChunkSize = 64;

    private readonly BondCutoffs? _bonds;
    private readonly CoreBudget _cores;
    private readonly string[] _elements;
    private readonly int[] _required; // heavy atoms per molecule, per element of _elements
    private readonly ElementRoles _composition;

    /// <param name="roles">The atom roles that name the molecule's atoms; they must know its elements (the presets do).</param>
    /// <param name="bonds">Bond cutoffs to find molecules in files without a <c>mol</c> column; null requires the column.</param>
    /// <param name="cores">The budget its parallel loops borrow from; null for <see cref="CoreBudget.Shared"/>.</param>
    public MolecularNeighborhoods(AtomRoles roles, double cutoff, BondCutoffs? bonds = null, CoreBudget? cores = null)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (!(cutoff > 0 && double.IsFinite(cutoff))) throw new ArgumentException($"cutoff must be positive, got {cutoff}", nameof(cutoff));
        _composition = ElementsOf(roles);
        var heavy = _composition.Composition.Where(c => c.Symbol != Hydrogen).ToArray();
        _elements = heavy.Select(c => c.Symbol).ToArray();
        _required = heavy.Select(c => c.Count).ToArray();
        Roles = roles;
        Cutoff = cutoff;
        _bonds = bonds;
        _cores = cores ?? CoreBudget.Shared;
    }

    public AtomRoles Roles { get; }

    /// <summary>Atoms of other molecules at or beyond this distance from a molecule's centre are not in its neighbourhood.</summary>
    public double Cutoff { get; }

    /// <summary>The heavy elements of the molecule, in the order of its composition; a node's element indexes this.</summary>
    public IReadOnlyList<string> Elements => _elements;

    /// <summary>Heavy atoms per molecule (the own nodes of each neighbourhood).</summary>
    public int HeavyAtoms => _required.Sum();

    /// <summary>The heavy elements of the molecule <paramref name="roles"/> name (what <see cref="Elements"/> will be), in composition order.</summary>
    public static IReadOnlyList<string> HeavyElements(AtomRoles roles) =>
        ElementsOf(roles).Composition.Select(c => c.Symbol).Where(s => s != Hydrogen).ToArray();

    private static ElementRoles ElementsOf(AtomRoles roles) => roles.Elements ?? throw new ArgumentException(
        $"{roles.Source} names atoms by its '{roles.Column}' values, not by elements; a molecule's neighbourhood needs the element of every heavy atom");

    public MolecularNeighborhoodResult Compute(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var topology = MoleculeTopology.FromFrame(frame, _bonds, _cores);
        var assignment = Roles.Assign(frame);
        var molecules = OrientedMolecules.Create(frame, topology, assignment);
        var heavy = HeavyAtomsOf(topology, assignment, molecules);
        var (x, y, z, ox, oy, oz, reach) = Centres(frame, topology, molecules, heavy);
        int count = molecules.Count;
        var box = frame.Box.HasCell ? frame.Box : OpenBoundary.Enclosing(x, y, z, reach);
        NeighborList list;
        using (var query = new NeighborQuery(box, x, y, z, reach / 2, _cores)) list = query.WithinCutoff(reach, sorted: false);

        var element = new int[frame.AtomCount];
        foreach (int a in heavy.Atoms) element[a] = ElementIndex(assignment, assignment.Classes[a]);
        int chunks = (count + ChunkSize - 1) / ChunkSize;
        var parts = new List<NeighborhoodNode>[chunks];
        var counts = new int[count];
        double cutoff2 = Cutoff * Cutoff;
        _cores.For(chunks, c =>
        {
            var nodes = new List<NeighborhoodNode>();
            for (int m = c * ChunkSize; m < Math.Min(count, (c + 1) * ChunkSize); m++)
            {
                int start = nodes.Count;
                for (int h = heavy.Offsets[m]; h < heavy.Offsets[m + 1]; h++)
                    nodes.Add(new NeighborhoodNode(heavy.Atoms[h], element[heavy.Atoms[h]], true, ox[h], oy[h], oz[h]));
                int others = nodes.Count;
                var index = list.Neighbors(m);
                ReadOnlySpan<float> dx = list.Dx(m), dy = list.Dy(m), dz = list.Dz(m);
                for (int p = 0; p < index.Length; p++)
                {
                    int j = index[p];
                    for (int h = heavy.Offsets[j]; h < heavy.Offsets[j + 1]; h++)
                    {
                        double ax = dx[p] + ox[h], ay = dy[p] + oy[h], az = dz[p] + oz[h];
                        if (ax * ax + ay * ay + az * az < cutoff2)
                            nodes.Add(new NeighborhoodNode(heavy.Atoms[h], element[heavy.Atoms[h]], false, ax, ay, az));
                    }
                }
                CollectionsMarshal.AsSpan(nodes)[others..].Sort(static (a, b) =>
                {
                    int byDistance = (a.Dx * a.Dx + a.Dy * a.Dy + a.Dz * a.Dz).CompareTo(b.Dx * b.Dx + b.Dy * b.Dy + b.Dz * b.Dz);
                    return byDistance != 0 ? byDistance : a.Atom.CompareTo(b.Atom);
                });
                counts[m] = nodes.Count - start;
            }
            parts[c] = nodes;
        });

        var offsets = new int[count + 1];
        for (int m = 0; m < count; m++) offsets[m + 1] = offsets[m] + counts[m];
        var all = new NeighborhoodNode[offsets[count]];
        for (int c = 0, at = 0; c < chunks; c++)
        {
            parts[c].CopyTo(all, at);
            at += parts[c].Count;
        }
        return new MolecularNeighborhoodResult(molecules.Ids.ToArray(), molecules.CenterAtoms.ToArray(), offsets, all);
    }

    /// <summary>The index into <see cref="Elements"/> of role class <paramref name="c"/>'s element, or -1 (hydrogen, no class, or unknown).</summary>
    private int ElementIndex(RoleAssignment assignment, int c) =>
        c >= 0 && c < assignment.Elements.Length && assignment.Elements[c] is { } symbol ? Array.IndexOf(_elements, symbol) : -1;

    /// <summary>
    /// The heavy atoms of each molecule of <paramref name="molecules"/> (frame indices, by atom id, in compressed rows);
    /// throws naming the first molecule whose heavy atoms are not the composition's.
    /// </summary>
    private (int[] Offsets, int[] Atoms) HeavyAtomsOf(MoleculeTopology topology, RoleAssignment assignment, OrientedMolecules molecules)
    {
        var offsets = new int[molecules.Count + 1];
        var atoms = new List<int>(molecules.Count * HeavyAtoms);
        var found = new int[_elements.Length];
        for (int m = 0, k = 0; m < topology.Count && k < molecules.Count; m++)
        {
            if (topology.Ids[m] != molecules.Ids[k]) continue;
            Array.Clear(found);
            foreach (int a in topology.AtomsOf(m))
            {
                int e = ElementIndex(assignment, assignment.Classes[a]);
                if (e < 0) continue;
                found[e]++;
                atoms.Add(a);
            }
            if (!found.AsSpan().SequenceEqual(_required))
                throw new ArgumentException(
                    $"molecule {molecules.Ids[k]} has the heavy atoms {Describe(found)}, but {_composition.Molecule} has {Describe(_required)} (atoms read {assignment.How}); " +
                    $"a molecule's neighbourhood needs the element of every heavy atom: give a dump with element names, atomic numbers or masses, or an atom-role mapping (--roles {string.Join(",", _elements.Select(s => s + "=<type>"))})");
            offsets[++k] = atoms.Count;
        }
        return (offsets, [.. atoms]);
    }

    /// <summary>
    /// Each molecule's centre (the centroid of its heavy atoms, the molecule made whole around its center atom), each
    /// heavy atom's offset from its molecule's centre, and the search reach: the cutoff plus the largest offset, and a
    /// little more because the search decides on single-precision positions.
    /// </summary>
    private (float[] X, float[] Y, float[] Z, double[] Ox, double[] Oy, double[] Oz, double Reach) Centres(Frame frame, MoleculeTopology topology,
        OrientedMolecules molecules, (int[] Offsets, int[] Atoms) heavy)
    {
        int n = frame.AtomCount, count = molecules.Count;
        var reference = new int[topology.Count];
        for (int m = 0, k = 0; m < topology.Count; m++)
            reference[m] = k < count && topology.Ids[m] == molecules.Ids[k] ? molecules.CenterAtoms[k++] : topology.AtomsOf(m)[0];
        var (wx, wy, wz) = (new double[n], new double[n], new double[n]);
        topology.MakeWhole(frame.Box, frame.X, frame.Y, frame.Z, wx, wy, wz, reference);
        var (x, y, z) = (new float[count], new float[count], new float[count]);
        int atoms = heavy.Atoms.Length;
        var (ox, oy, oz) = (new double[atoms], new double[atoms], new double[atoms]);
        double largest = 0;
        for (int m = 0; m < count; m++)
        {
            int from = heavy.Offsets[m], to = heavy.Offsets[m + 1];
            double cx = 0, cy = 0, cz = 0;
            for (int h = from; h < to; h++) (cx, cy, cz) = (cx + wx[heavy.Atoms[h]], cy + wy[heavy.Atoms[h]], cz + wz[heavy.Atoms[h]]);
            (cx, cy, cz) = (cx / (to - from), cy / (to - from), cz / (to - from));
            (x[m], y[m], z[m]) = ((float)cx, (float)cy, (float)cz);
            for (int h = from; h < to; h++)
            {
                int a = heavy.Atoms[h];
                // From the rounded centre, which the search's displacements start from.
                (ox[h], oy[h], oz[h]) = (wx[a] - x[m], wy[a] - y[m], wz[a] - z[m]);
                largest = Math.Max(largest, Math.Sqrt(ox[h] * ox[h] + oy[h] * oy[h] + oz[h] * oz[h]));
            }
        }
        return (x, y, z, ox, oy, oz, (Cutoff + largest) * (1 + 1e-5) + 1e-4);
    }

    private string Describe(ReadOnlySpan<int> counts)
    {
        var parts = new string[counts.Length];
        for (int e = 0; e < counts.Length; e++) parts[e] = $"{_elements[e]} {counts[e]}";
        return string.Join(", ", parts);
    }
}
