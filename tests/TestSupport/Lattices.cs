using StreamMonitor.Core;

namespace StreamMonitor.TestSupport;

/// <summary>Perfect crystal lattices (positions and box) for tests of structure analyses.</summary>
public static class Lattices
{
    /// <summary>A perfect lattice of c×c×c (orthorhombic for hcp) unit cells with spacing 1.</summary>
    public static (SimulationBox Box, float[] X, float[] Y, float[] Z) Build(string name, int c)
    {
        double ly = 1, lz = 1;
        (double, double, double)[] basis;
        switch (name)
        {
            case "fcc":
                basis = [(0, 0, 0), (0.5, 0.5, 0), (0.5, 0, 0.5), (0, 0.5, 0.5)];
                break;
            case "bcc":
                basis = [(0, 0, 0), (0.5, 0.5, 0.5)];
                break;
            case "sc":
                basis = [(0, 0, 0)];
                break;
            case "hcp": // ideal c/a = sqrt(8/3), orthorhombic cell 1 × √3 × c with 4 atoms
                ly = Math.Sqrt(3);
                lz = Math.Sqrt(8.0 / 3);
                basis = [(0, 0, 0), (0.5, 0.5, 0), (0.5, 5.0 / 6, 0.5), (0, 1.0 / 3, 0.5)];
                break;
            default:
                throw new ArgumentException(name);
        }
        var (x, y, z) = (new List<float>(), new List<float>(), new List<float>());
        for (int a = 0; a < c; a++)
            for (int b = 0; b < c; b++)
                for (int d = 0; d < c; d++)
                    foreach (var (u, v, w) in basis)
                    {
                        x.Add((float)(a + u));
                        y.Add((float)((b + v) * ly));
                        z.Add((float)((d + w) * lz));
                    }
        return (SimulationBox.Orthogonal(c, c * ly, c * lz), x.ToArray(), y.ToArray(), z.ToArray());
    }
}
