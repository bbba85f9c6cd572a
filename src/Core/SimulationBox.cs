namespace StreamMonitor.Core;

/// <summary>
/// A periodic cell given by three lattice vectors (rows a, b, c) and the origin of the cell.
/// LAMMPS restricts a to the x axis and b to the xy plane; general cells (XTC, extended XYZ,
/// LAMMPS "abc origin" dumps) are stored as given.
/// </summary>
public readonly record struct SimulationBox(Vector3d A, Vector3d B, Vector3d C, Vector3d Origin)
{
    /// <summary>A box with no cell, e.g. a plain XYZ file.</summary>
    public static readonly SimulationBox None = new(Vector3d.Zero, Vector3d.Zero, Vector3d.Zero, Vector3d.Zero);

    public bool HasCell => Volume != 0;

    public bool IsOrthogonal =>
        A.Y == 0 && A.Z == 0 && B.X == 0 && B.Z == 0 && C.X == 0 && C.Y == 0;

    public double Volume => A.Dot(B.Cross(C));

    public static SimulationBox Orthogonal(double lx, double ly, double lz, Vector3d origin = default) =>
        new(new(lx, 0, 0), new(0, ly, 0), new(0, 0, lz), origin);

    /// <summary>
    /// The restricted triclinic cell of LAMMPS: lo/hi bounds of the parallelepiped and the tilt factors.
    /// a = (xhi-xlo, 0, 0), b = (xy, yhi-ylo, 0), c = (xz, yz, zhi-zlo), origin = (xlo, ylo, zlo).
    /// </summary>
    public static SimulationBox FromLammps(double xlo, double xhi, double ylo, double yhi, double zlo, double zhi,
        double xy = 0, double xz = 0, double yz = 0) =>
        new(new(xhi - xlo, 0, 0), new(xy, yhi - ylo, 0), new(xz, yz, zhi - zlo), new(xlo, ylo, zlo));

    /// <summary>
    /// The cell from the bounding-box lines a LAMMPS dump writes for a restricted triclinic box
    /// (<c>ITEM: BOX BOUNDS xy xz yz</c>): each line holds lo_bound, hi_bound and one tilt factor.
    /// </summary>
    public static SimulationBox FromLammpsBoundingBox(double xloBound, double xhiBound, double xy,
        double yloBound, double yhiBound, double xz, double zloBound, double zhiBound, double yz)
    {
        double xlo = xloBound - Math.Min(Math.Min(0.0, xy), Math.Min(xz, xy + xz));
        double xhi = xhiBound - Math.Max(Math.Max(0.0, xy), Math.Max(xz, xy + xz));
        double ylo = yloBound - Math.Min(0.0, yz);
        double yhi = yhiBound - Math.Max(0.0, yz);
        return FromLammps(xlo, xhi, ylo, yhi, zloBound, zhiBound, xy, xz, yz);
    }

    /// <summary>Cartesian position of fractional coordinates (s_a, s_b, s_c) of this cell.</summary>
    public Vector3d ToCartesian(double sa, double sb, double sc) => new(
        Origin.X + sa * A.X + sb * B.X + sc * C.X,
        Origin.Y + sa * A.Y + sb * B.Y + sc * C.Y,
        Origin.Z + sa * A.Z + sb * B.Z + sc * C.Z);

    /// <summary>Rows a, b, c as a 3×3 array, the layout the JSON output uses.</summary>
    public double[][] ToRows() =>
    [
        [A.X, A.Y, A.Z],
        [B.X, B.Y, B.Z],
        [C.X, C.Y, C.Z],
    ];
}
