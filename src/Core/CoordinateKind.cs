namespace StreamMonitor.Core;

/// <summary>What the positions of a frame are, as the file gave them (always converted to Cartesian).</summary>
public enum CoordinateKind
{
    /// <summary>Wrapped into the cell (LAMMPS x/y/z or xs/ys/zs, XTC, XYZ).</summary>
    Wrapped,

    /// <summary>Unwrapped across periodic images (LAMMPS xu/yu/zu or xsu/ysu/zsu).</summary>
    Unwrapped,
}
