namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// One heavy atom of a molecule's neighbourhood (<see cref="MolecularNeighborhoods"/>): the frame atom, its element (an
/// index into <see cref="MolecularNeighborhoods.Elements"/>), whether it belongs to the molecule itself, and its
/// displacement from the molecule's centre.
/// </summary>
public readonly record struct NeighborhoodNode(int Atom, int Element, bool Own, double Dx, double Dy, double Dz)
{
    public double Distance => Math.Sqrt(Dx * Dx + Dy * Dy + Dz * Dz);
}
