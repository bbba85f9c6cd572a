using System.Globalization;
using System.Text;
using StreamMonitor.Core;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>
/// Writes one frame as a configuration LAMMPS starts from: a data file for <c>read_data</c> (atom style atomic) or a
/// one-frame dump for <c>read_dump</c>. Ids, types and positions are kept as read (wrapped or unwrapped, with image
/// flags when the frame has them), so a shot starts from exactly the atoms of the frame. Velocities are not written:
/// a shot draws its own.
/// </summary>
public static class LammpsConfigurationWriter
{
    /// <summary>A LAMMPS data file (<c>read_data</c>).</summary>
    public const string Data = "data";

    /// <summary>A one-frame LAMMPS dump, <c>id type x y z</c> (<c>read_dump FILE STEP x y z box yes add yes</c>).</summary>
    public const string Dump = "dump";

    public static IReadOnlyList<string> Formats { get; } = [Data, Dump];

    private const int BlockChars = 1 << 20;

    /// <summary>The file extension for a format's files.</summary>
    public static string Extension(string format) => format switch
    {
        Data => ".data",
        Dump => ".lammpstrj",
        _ => throw UnknownFormat(format),
    };

    /// <summary>Writes <paramref name="frame"/> to <paramref name="path"/> in <paramref name="format"/>.</summary>
    /// <exception cref="ArgumentException">An unknown format, or a frame LAMMPS cannot take (no periodic cell, a cell not in LAMMPS' restricted triclinic form).</exception>
    public static void Write(Frame frame, string path, string format)
    {
        Action<Frame, StringBuilder, TextWriter> write = format switch
        {
            Data => WriteData,
            Dump => WriteDump,
            _ => throw UnknownFormat(format),
        };
        // Checked before the file is created, so a refused frame leaves no empty file behind.
        RequireLammpsCell(frame);
        using var writer = new StreamWriter(path);
        var text = new StringBuilder();
        write(frame, text, writer);
        writer.Write(text);
    }

    private static void WriteData(Frame frame, StringBuilder text, TextWriter writer)
    {
        var box = frame.Box;
        int types = TypeCount(frame);
        text.Append(CultureInfo.InvariantCulture, $"LAMMPS data file: frame {frame.Index}, step {frame.Step}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"{frame.AtomCount} atoms\n{types} atom types\n\n");
        text.Append(CultureInfo.InvariantCulture, $"{R(box.Origin.X)} {R(box.Origin.X + box.A.X)} xlo xhi\n");
        text.Append(CultureInfo.InvariantCulture, $"{R(box.Origin.Y)} {R(box.Origin.Y + box.B.Y)} ylo yhi\n");
        text.Append(CultureInfo.InvariantCulture, $"{R(box.Origin.Z)} {R(box.Origin.Z + box.C.Z)} zlo zhi\n");
        if (!box.IsOrthogonal) text.Append(CultureInfo.InvariantCulture, $"{R(box.B.X)} {R(box.C.X)} {R(box.C.Y)} xy xz yz\n");

        text.Append("\nMasses\n\n");
        var masses = Masses(frame, types);
        for (int t = 1; t <= types; t++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{t} {R(masses[t - 1])}");
            if (frame.TypeNames is { } names && t <= names.Count) text.Append(" # ").Append(names[t - 1]);
            text.Append('\n');
        }

        text.Append("\nAtoms # atomic\n\n");
        WriteAtoms(frame, text, writer);
    }

    private static void WriteDump(Frame frame, StringBuilder text, TextWriter writer)
    {
        var box = frame.Box;
        text.Append(CultureInfo.InvariantCulture, $"ITEM: TIMESTEP\n{frame.Step}\nITEM: NUMBER OF ATOMS\n{frame.AtomCount}\n");
        double xlo = box.Origin.X, xhi = xlo + box.A.X, ylo = box.Origin.Y, yhi = ylo + box.B.Y, zlo = box.Origin.Z, zhi = zlo + box.C.Z;
        if (box.IsOrthogonal)
        {
            text.Append(CultureInfo.InvariantCulture, $"ITEM: BOX BOUNDS pp pp pp\n{R(xlo)} {R(xhi)}\n{R(ylo)} {R(yhi)}\n{R(zlo)} {R(zhi)}\n");
        }
        else
        {
            // A triclinic dump gives the bounding box of the cell and the tilt factors (the inverse of SimulationBox.FromLammpsBoundingBox).
            double xy = box.B.X, xz = box.C.X, yz = box.C.Y;
            text.Append(CultureInfo.InvariantCulture, $"ITEM: BOX BOUNDS xy xz yz pp pp pp\n");
            text.Append(CultureInfo.InvariantCulture, $"{R(xlo + Math.Min(Math.Min(0.0, xy), Math.Min(xz, xy + xz)))} {R(xhi + Math.Max(Math.Max(0.0, xy), Math.Max(xz, xy + xz)))} {R(xy)}\n");
            text.Append(CultureInfo.InvariantCulture, $"{R(ylo + Math.Min(0.0, yz))} {R(yhi + Math.Max(0.0, yz))} {R(xz)}\n");
            text.Append(CultureInfo.InvariantCulture, $"{R(zlo)} {R(zhi)} {R(yz)}\n");
        }
        // read_dump takes x/y/z from whichever of x, xu (and the scaled forms) the dump has, and wraps unwrapped ones itself.
        text.Append(frame.Coordinates == CoordinateKind.Unwrapped ? "ITEM: ATOMS id type xu yu zu" : "ITEM: ATOMS id type x y z");
        text.Append(frame.HasImages ? " ix iy iz\n" : "\n");
        WriteAtoms(frame, text, writer);
    }

    /// <summary>
    /// One line per atom: <c>id type x y z</c>, and <c>ix iy iz</c> when the frame has image flags. The text goes to
    /// the file a block at a time, so a frame of millions of atoms never sits in memory as one string.
    /// </summary>
    private static void WriteAtoms(Frame frame, StringBuilder text, TextWriter writer)
    {
        var ids = frame.Ids;
        var types = frame.Types;
        var x = frame.X;
        var y = frame.Y;
        var z = frame.Z;
        var images = frame.Images;
        for (int a = 0; a < frame.AtomCount; a++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{ids[a]} {TypeOf(types[a])} {R(x[a])} {R(y[a])} {R(z[a])}");
            if (frame.HasImages) text.Append(CultureInfo.InvariantCulture, $" {images[3 * a]} {images[3 * a + 1]} {images[3 * a + 2]}");
            text.Append('\n');
            if (text.Length >= BlockChars)
            {
                writer.Write(text);
                text.Clear();
            }
        }
    }

    /// <summary>LAMMPS takes a periodic, restricted triclinic (or orthogonal) cell.</summary>
    private static void RequireLammpsCell(Frame frame)
    {
        var box = frame.Box;
        if (!box.HasCell) throw new ArgumentException($"frame {frame.Index} has no periodic cell, and a LAMMPS configuration needs one");
        if (box.A.Y != 0 || box.A.Z != 0 || box.B.Z != 0 || box.A.X <= 0 || box.B.Y <= 0 || box.C.Z <= 0)
            throw new ArgumentException(
                $"frame {frame.Index}'s cell (a = {box.A}, b = {box.B}, c = {box.C}) is not in LAMMPS' restricted triclinic form (a along x, b in the xy plane)");
    }

    /// <summary>Frames without a type column (types all 0) have one type, 1.</summary>
    private static int TypeOf(int type) => Math.Max(type, 1);

    private static int TypeCount(Frame frame)
    {
        int max = 1;
        foreach (int t in frame.Types) max = Math.Max(max, t);
        return max;
    }

    /// <summary>Per type: the mass of its first atom when the frame has a <c>mass</c> column, otherwise 1.</summary>
    private static double[] Masses(Frame frame, int types)
    {
        var masses = Enumerable.Repeat(1.0, types).ToArray();
        if (frame.Column("mass") is not { } column) return masses;
        var seen = new bool[types];
        var values = column.Values;
        var frameTypes = frame.Types;
        for (int a = 0; a < frame.AtomCount; a++)
        {
            int t = TypeOf(frameTypes[a]) - 1;
            if (seen[t]) continue;
            seen[t] = true;
            masses[t] = values[a];
        }
        return masses;
    }

    /// <summary>Shortest text that reads back as the same number.</summary>
    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string R(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static ArgumentException UnknownFormat(string format) =>
        new($"unknown configuration format '{format}' (known: {string.Join(", ", Formats)})");
}
