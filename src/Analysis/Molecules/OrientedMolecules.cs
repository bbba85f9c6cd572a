using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Analysis.Parallelism;
using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// The point-vector representation of the molecules of one frame: for each molecule (in molecule-id order) its center
/// atom's position and its orientation vectors, each vector taken on the molecule made whole across the periodic
/// boundary. Also each molecule's radius (the largest distance from its center atom to one of its atoms), from which
/// the surface/core radius is derived. Immutable.
/// </summary>
/// <remarks>
/// Molecules without a center atom are left out (a solvent or a second species), so one file may mix species; a
/// molecule with two center atoms, or without an atom a vector needs, is an error naming the molecule.
/// </remarks>
public sealed class OrientedMolecules
{
    private readonly int[] _ids;
    private readonly int[] _centerAtoms;
    private readonly double[] _x, _y, _z;
    private readonly double[] _vectors; // molecule-major: [m * 3 * V + 3 * v + xyz]
    private readonly double[] _radius;

    internal OrientedMolecules(SimulationBox box, int vectorCount, int[] ids, int[] centerAtoms, double[] x, double[] y, double[] z,
        double[] vectors, double[] radius)
    {
        Box = box;
        VectorCount = vectorCount;
        _ids = ids;
        _centerAtoms = centerAtoms;
        _x = x;
        _y = y;
        _z = z;
        _vectors = vectors;
        _radius = radius;
        LargestRadius = radius.Length == 0 ? 0 : radius.Max();
    }

    public SimulationBox Box { get; }

    public int Count => _ids.Length;

    /// <summary>Orientation vectors per molecule.</summary>
    public int VectorCount { get; }

    /// <summary>Molecule ids, increasing.</summary>
    public ReadOnlySpan<int> Ids => _ids;

    /// <summary>Frame index of each molecule's center atom.</summary>
    public ReadOnlySpan<int> CenterAtoms => _centerAtoms;

    /// <summary>Center positions (the center atoms as the file has them, not wrapped).</summary>
    public ReadOnlySpan<double> CenterX => _x;
    public ReadOnlySpan<double> CenterY => _y;
    public ReadOnlySpan<double> CenterZ => _z;

    /// <summary>Vector <paramref name="v"/> (0-based) of molecule <paramref name="m"/>, not normalised.</summary>
    public Vector3d Vector(int m, int v)
    {
        int o = (m * VectorCount + v) * 3;
        return new Vector3d(_vectors[o], _vectors[o + 1], _vectors[o + 2]);
    }

    /// <summary>All vectors, molecule-major: element <c>(m * VectorCount + v) * 3 + axis</c>.</summary>
    public ReadOnlySpan<double> Vectors => _vectors;

    /// <summary>Largest distance from each molecule's center atom to one of its atoms.</summary>
    public ReadOnlySpan<double> Radius => _radius;

    public double LargestRadius { get; }

    /// <summary>
    /// The molecules of a frame by <paramref name="roles"/>: grouped by the <c>mol</c> column, or by bonds when the frame
    /// has none and <paramref name="bonds"/> is given.
    /// </summary>
    /// <param name="cores">The budget a bond search borrows idle cores from; null for <see cref="CoreBudget.Shared"/>.</param>
    public static OrientedMolecules FromFrame(Frame frame, AtomRoles roles, BondCutoffs? bonds = null, CoreBudget? cores = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(roles);
        var topology = MoleculeTopology.FromFrame(frame, bonds, cores);
        return Create(frame, topology, roles);
    }

    /// <summary>The molecules of <paramref name="topology"/> (built on <paramref name="frame"/>) by <paramref name="roles"/>.</summary>
    public static OrientedMolecules Create(Frame frame, MoleculeTopology topology, AtomRoles roles) =>
        Create(frame, topology, roles.Assign(frame));

    /// <summary>The molecules of <paramref name="topology"/> with the roles <paramref name="assignment"/> gives the frame's atoms.</summary>
    internal static OrientedMolecules Create(Frame frame, MoleculeTopology topology, RoleAssignment assignment)
    {
        var classes = assignment.Classes;
        var slots = assignment.Slots;
        int ns = slots.Length;
        int nv = assignment.From.Length;
        int centerClass = slots[0].Class;
        var cell = frame.Box.HasCell ? new PeriodicCell(frame.Box) : null;
        var x = frame.X;
        var y = frame.Y;
        var z = frame.Z;
        var atomIds = frame.Ids;

        // Pass 1: each molecule's slot atoms (the Ordinal-th atom of the slot's class, atoms by increasing id).
        var ids = new List<int>(topology.Count);
        var slotAtoms = new List<int>(topology.Count * ns);
        Span<int> counts = stackalloc int[assignment.ClassCount];
        Span<int> found = stackalloc int[ns];
        for (int m = 0; m < topology.Count; m++)
        {
            var atoms = topology.AtomsOf(m);
            counts.Clear();
            found.Fill(-1);
            int others = 0;
            foreach (int a in atoms)
            {
                int c = classes[a];
                if (c < 0)
                {
                    others++;
                    continue;
                }
                if (c == centerClass && assignment.CenterUnique && counts[c] == 1)
                    throw new ArgumentException(
                        $"molecule {topology.Ids[m]} has more than one atom with {assignment.ClassNames[c]} (atoms {atomIds[found[0]]} and {atomIds[a]}), but the center atom ({assignment.Source}) must be unique");
                counts[c]++;
                for (int s = 0; s < ns; s++)
                    if (slots[s].Class == c && slots[s].Ordinal == counts[c]) found[s] = a;
            }
            if (counts[centerClass] == 0) continue; // another species
            if (assignment.Required is { } required && (!counts.SequenceEqual(required) || others != assignment.RequiredOthers))
                throw new ArgumentException(
                    $"molecule {topology.Ids[m]} has {assignment.Describe(counts, others)}, but {assignment.Source} needs {assignment.Describe(required, assignment.RequiredOthers)} (atoms read {assignment.How}); if that is not what the file means, give an atom-role mapping from its types to elements (--roles {string.Join(",", assignment.ClassNames.Select(c => c + "=<type>"))})");
            for (int v = 0; v < nv; v++)
            {
                if (found[assignment.From[v]] < 0) throw MissingEnd(topology.Ids[m], assignment, assignment.From[v], "start", v);
                if (found[assignment.To[v]] < 0) throw MissingEnd(topology.Ids[m], assignment, assignment.To[v], "end", v);
            }
            ids.Add(topology.Ids[m]);
            foreach (int a in found) slotAtoms.Add(a);
        }
        if (ids.Count == 0)
            throw new ArgumentException($"no molecule of the frame has a center atom ({assignment.SlotNames[0]}, {assignment.Source}, atoms read {assignment.How})");

        // Pass 2: centers, vectors and radii, each molecule made whole around its center.
        int count = ids.Count;
        var centers = new int[count];
        var cx = new double[count];
        var cy = new double[count];
        var cz = new double[count];
        var vectors = new double[count * nv * 3];
        var radius = new double[count];
        int moleculeIndex = 0;
        for (int m = 0; m < topology.Count && moleculeIndex < count; m++)
        {
            if (topology.Ids[m] != ids[moleculeIndex]) continue;
            int slotBase = moleculeIndex * ns;
            int c = slotAtoms[slotBase];
            var origin = new Vector3d(x[c], y[c], z[c]);
            double r2max = 0;
            foreach (int a in topology.AtomsOf(m))
            {
                var d = Relative(cell, origin, x[a], y[a], z[a]);
                r2max = Math.Max(r2max, d.Dot(d));
            }
            for (int v = 0; v < nv; v++)
            {
                int a = slotAtoms[slotBase + assignment.From[v]], b = slotAtoms[slotBase + assignment.To[v]];
                var vec = Relative(cell, origin, x[b], y[b], z[b]) - Relative(cell, origin, x[a], y[a], z[a]);
                if (!(vec.Length > 0))
                    throw new ArgumentException($"molecule {ids[moleculeIndex]}: v{v + 1} (atom {atomIds[a]} → atom {atomIds[b]}) has zero length");
                int o = (moleculeIndex * nv + v) * 3;
                (vectors[o], vectors[o + 1], vectors[o + 2]) = (vec.X, vec.Y, vec.Z);
            }
            centers[moleculeIndex] = c;
            (cx[moleculeIndex], cy[moleculeIndex], cz[moleculeIndex]) = (origin.X, origin.Y, origin.Z);
            radius[moleculeIndex] = Math.Sqrt(r2max);
            moleculeIndex++;
        }
        return new OrientedMolecules(frame.Box, nv, [.. ids], centers, cx, cy, cz, vectors, radius);
    }

    private static ArgumentException MissingEnd(int molecule, RoleAssignment assignment, int slot, string end, int v) =>
        new($"molecule {molecule} has no atom with {assignment.SlotNames[slot]} (the {end} of v{v + 1}, {assignment.Source})");

    private static Vector3d Relative(PeriodicCell? cell, Vector3d origin, double x, double y, double z)
    {
        var d = new Vector3d(x, y, z) - origin;
        return cell is null ? d : cell.MinimumImage(d);
    }
}
