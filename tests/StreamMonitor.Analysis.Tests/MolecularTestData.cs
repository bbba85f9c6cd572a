using System.Globalization;
using StreamMonitor.Core;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Analysis.Tests;

/// <summary>
/// The molecular crystals of the reference program (data/molstrucclassifier), the reference program's features of them
/// (Data/, see Data/README.md) and ways to make frames from them: copies with atoms moved, subsets, supercells.
/// </summary>
internal static class MolecularTestData
{
    /// <summary>Urea form I, 432 molecules, 2 frames, orthogonal box, columns id mol element sym_type x y z.</summary>
    public static string Urea => Path.Combine(RepositoryPaths.MolStrucClassifier, "urea", "form-I-3456atoms.dump");

    public static string UreaInput => Path.Combine(RepositoryPaths.MolStrucClassifier, "urea", "INPUT_urea.dat");

    /// <summary>Nicotinamide crystal, 80 molecules, one frame, triclinic box, no sym_type column.</summary>
    public static string Nicotinamide => Path.Combine(RepositoryPaths.MolStrucClassifier, "nicotinamide", "nico_testtraj.dump");

    public static string NicotinamideInput => Path.Combine(RepositoryPaths.MolStrucClassifier, "nicotinamide", "INPUT_nico_crystal.dat");

    public static string DataDirectory => Path.Combine(RepositoryPaths.Root, "tests", "StreamMonitor.Analysis.Tests", "Data");

    /// <summary>Every frame of a file; the caller disposes them.</summary>
    public static List<Frame> ReadAll(string path)
    {
        using var reader = TrajectoryReader.Open(path);
        return reader.ReadAll().ToList();
    }

    public static Frame ReadFirst(string path)
    {
        var frames = ReadAll(path);
        foreach (var f in frames.Skip(1)) f.Dispose();
        return frames[0];
    }

    /// <summary>Rows of a Data/molsf-reference-*.csv file: frame, mol and the 24 features.</summary>
    public static List<(int Frame, int Mol, double[] Features)> ReadReference(string name)
    {
        var rows = new List<(int, int, double[])>();
        foreach (var line in File.ReadLines(Path.Combine(DataDirectory, name)).Skip(1))
        {
            var parts = line.Split(',');
            rows.Add((int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
                parts.Skip(2).Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray()));
        }
        return rows;
    }

    /// <summary>
    /// A new frame with the atoms <paramref name="atoms"/> of <paramref name="source"/> (all by default), each moved by
    /// <paramref name="move"/>(atom index), in <paramref name="box"/> (the source's by default); molecule ids only when
    /// <paramref name="molecules"/>; every extra column copied (labels included).
    /// </summary>
    public static Frame Copy(Frame source, IReadOnlyList<int>? atoms = null, Func<int, Vector3d>? move = null, SimulationBox? box = null,
        bool molecules = true, int idOffset = 0, int moleculeOffset = 0)
    {
        atoms ??= Enumerable.Range(0, source.AtomCount).ToArray();
        var frame = new Frame(atoms.Count) { Box = box ?? source.Box, Index = source.Index, Step = source.Step, TypeNames = source.TypeNames };
        var mol = molecules && source.HasMolecules ? frame.AddMolecules() : Span<int>.Empty;
        var columns = source.Columns.Select(c => (From: c, To: frame.AddColumn(c.Name, c.Labels))).ToList();
        for (int k = 0; k < atoms.Count; k++)
        {
            int a = atoms[k];
            var shift = move?.Invoke(a) ?? Vector3d.Zero;
            frame.Ids[k] = source.Ids[a] + idOffset;
            frame.Types[k] = source.Types[a];
            frame.X[k] = (float)(source.X[a] + shift.X);
            frame.Y[k] = (float)(source.Y[a] + shift.Y);
            frame.Z[k] = (float)(source.Z[a] + shift.Z);
            if (!mol.IsEmpty) mol[k] = source.Molecules[a] + moleculeOffset;
            foreach (var (from, to) in columns) to.Values[k] = from.Values[a];
        }
        return frame;
    }

    /// <summary>A supercell of a frame (see <see cref="Molecules.Supercell"/>).</summary>
    public static Frame Replicate(Frame source, int na, int nb, int nc) => Molecules.Supercell.Of(source, na, nb, nc);

    /// <summary>Relative difference with a floor, so that values near zero are compared on the scale of the feature.</summary>
    public static double Relative(double actual, double expected, double floor = 1.0) =>
        Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), floor);
}
