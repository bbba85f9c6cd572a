using StreamMonitor.Core;

namespace StreamMonitor.Analysis.Molecules;

/// <summary>Builds larger periodic systems from a frame, for benchmarks and finite-size checks.</summary>
public static class Supercell
{
    /// <summary>
    /// A na × nb × nc supercell: copies shifted by lattice vectors, ids and molecule ids renumbered per copy, molecules
    /// made whole first (a molecule split across the small cell would be split across the middle of the large one).
    /// </summary>
    public static Frame Of(Frame source, int na, int nb, int nc)
    {
        var (wx, wy, wz) = (new double[source.AtomCount], new double[source.AtomCount], new double[source.AtomCount]);
        if (source.HasMolecules)
            MoleculeTopology.FromFrame(source).MakeWhole(source.Box, source.X, source.Y, source.Z, wx, wy, wz);
        else
            for (int i = 0; i < source.AtomCount; i++) (wx[i], wy[i], wz[i]) = (source.X[i], source.Y[i], source.Z[i]);
        var box = new SimulationBox(na * source.Box.A, nb * source.Box.B, nc * source.Box.C, source.Box.Origin);
        int n = source.AtomCount, copies = na * nb * nc;
        int maxId = 0, maxMol = 0;
        for (int i = 0; i < n; i++)
        {
            maxId = Math.Max(maxId, source.Ids[i]);
            if (source.HasMolecules) maxMol = Math.Max(maxMol, source.Molecules[i]);
        }
        var frame = new Frame(n * copies) { Box = box, Index = source.Index, Step = source.Step };
        var mol = source.HasMolecules ? frame.AddMolecules() : Span<int>.Empty;
        var columns = source.Columns.Select(c => (From: c, To: frame.AddColumn(c.Name, c.Labels))).ToList();
        int k = 0, copy = 0;
        for (int a = 0; a < na; a++)
            for (int b = 0; b < nb; b++)
                for (int c = 0; c < nc; c++, copy++)
                {
                    var shift = a * source.Box.A + b * source.Box.B + c * source.Box.C;
                    for (int i = 0; i < n; i++, k++)
                    {
                        frame.Ids[k] = source.Ids[i] + copy * maxId;
                        frame.Types[k] = source.Types[i];
                        frame.X[k] = (float)(wx[i] + shift.X);
                        frame.Y[k] = (float)(wy[i] + shift.Y);
                        frame.Z[k] = (float)(wz[i] + shift.Z);
                        if (!mol.IsEmpty) mol[k] = source.Molecules[i] + copy * maxMol;
                        foreach (var (from, to) in columns) to.Values[k] = from.Values[i];
                    }
                }
        return frame;
    }
}
