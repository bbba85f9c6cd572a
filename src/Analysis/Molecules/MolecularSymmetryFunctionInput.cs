using System.Globalization;

namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// Parser for the parameter files of the reference program (rogalj/MolStrucClassifier, molvec_lib <c>INPUT_*.dat</c>).
/// </summary>
/// <remarks>
/// <para>
/// The format is one key per line (the reference matches the first 16 characters; here the key words are matched, so
/// spacing does not matter) and blocks of functions:
/// </para>
/// <code>
/// center atom      1            role value of the center atom
/// cutoffmin        9.8          r_min
/// cutoffmax        10.0         r_max
/// number_of_para   4            a block of 4 functions
/// point            false        true: radial (S1/S2); false: on a vector, then
/// vec_id           1 2          the vector from role 1 to role 2 (distinct pairs become v1, v2, ... in order)
/// G2G3             G2           G2: Gaussian (S1/S3), then "Rs" and "eta" lines; G3: cosine (S2/S4), then "kappa"
/// Rs               0.36 0.08 0.36 0.28
/// eta              1.0 1.0 1.12 6.76
/// </code>
/// <para>
/// Features come in the order of the blocks. Text after <c>//</c> or <c>#</c> is a comment. <c>num_sf</c> and
/// <c>num_pvsf_type</c>, when present, are checked against the blocks. Keys that only steer the reference program
/// (<c>triclinic</c>, <c>symf_calc_or_NN</c>, <c>COvectype</c>, ...) are accepted and ignored: the box geometry comes
/// from each frame. Two keys are ours and ignored by the reference: <c>role_column NAME</c> (the per-atom column the
/// role values refer to; default <c>sym_type</c>, as in the reference's current file type) and
/// <c>bond_cutoff R</c> (find molecules by distance in files without a <c>mol</c> column).
/// </para>
/// <para>Any other line, a block out of order, or a count that does not match is an error naming the line.</para>
/// </remarks>
public static class MolecularSymmetryFunctionInput
{
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "COvectype", "NNvectype", "triclinic", "symf_calc_or_NN", "num_output", "pathpoints", "Ppoints1", "Ppoints2",
        "CV_index", "sym_type", "nmol_in_system", "rdiff",
    };

    public static MolecularSymmetryFunctionParameters Parse(string text, string source = "parameters")
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = Lines(text);
        int? declaredFunctions = null, declaredVectorTypes = null, surface = null;
        bool surfaceOn = false;
        string? center = null, column = null;
        double? rmin = null, rmax = null, bond = null;
        var vectors = new List<RoleVector>();
        var functions = new List<SymmetryFunction>();

        for (int k = 0; k < lines.Count; k++)
        {
            var (number, words) = lines[k];
            string key = words[0];
            switch (key)
            {
                case "num_sf": declaredFunctions = Int(source, number, words, 1); break;
                case "num_pvsf_type": declaredVectorTypes = Int(source, number, words, 1); break;
                case "center" when words.Length >= 3 && words[1] == "atom": center = words[2]; break;
                case "atm" when words.Length >= 4 && words[1] == "in" && words[2] == "molec": Int(source, number, words, 3); break;
                case "cutoffmin": rmin = Number(source, number, words, 1); break;
                case "cutoffmax": rmax = Number(source, number, words, 1); break;
                case "NNrdf": surfaceOn = Word(source, number, words, 1) == "true"; break;
                case "fullNeigh": surface = Int(source, number, words, 1); break;
                case "role_column": column = Word(source, number, words, 1); break;
                case "bond_cutoff": bond = Number(source, number, words, 1); break;
                case "number_of_para":
                    k = Block(source, lines, k, vectors, functions);
                    break;
                default:
                    if (Ignored.Contains(key)) break;
                    throw Error(source, number, $"unknown key '{key}'");
            }
        }

        if (center is null) throw new ArgumentException($"{source}: no 'center atom' line (the role value of the molecule's center atom)");
        if (rmin is null || rmax is null) throw new ArgumentException($"{source}: needs both 'cutoffmin' and 'cutoffmax'");
        if (functions.Count == 0) throw new ArgumentException($"{source}: no 'number_of_para' block, so no symmetry functions");
        if (declaredFunctions is { } nsf && nsf != functions.Count)
            throw new ArgumentException($"{source}: num_sf says {nsf} functions, the blocks define {functions.Count}");
        if (declaredVectorTypes is { } nv && nv < vectors.Count)
            throw new ArgumentException($"{source}: num_pvsf_type says {nv} vector types, the blocks use {vectors.Count} distinct vec_id pairs");
        var roles = new AtomRoles(column ?? "sym_type", center, vectors, $"parameters {source}");
        return new MolecularSymmetryFunctionParameters(source, roles, rmin.Value, rmax.Value, functions,
            bond is { } b ? new BondCutoffs(b) : null, surfaceOn ? surface : null);
    }

    /// <summary>Reads the block that starts at line <paramref name="k"/>; returns the index of its last line.</summary>
    private static int Block(string source, List<(int Number, string[] Words)> lines, int k, List<RoleVector> vectors,
        List<SymmetryFunction> functions)
    {
        int count = Int(source, lines[k].Number, lines[k].Words, 1);
        if (count < 1) throw Error(source, lines[k].Number, "number_of_para must be at least 1");
        var point = Next(source, lines, ref k, "point");
        string pointValue = Word(source, point.Number, point.Words, 1);
        if (pointValue is not ("true" or "false")) throw Error(source, point.Number, $"'point' is true or false, got '{pointValue}'");
        int vector = -1;
        if (pointValue == "false")
        {
            var ids = Next(source, lines, ref k, "vec_id");
            var v = new RoleVector(Word(source, ids.Number, ids.Words, 1), Word(source, ids.Number, ids.Words, 2));
            vector = vectors.IndexOf(v);
            if (vector < 0)
            {
                vectors.Add(v);
                vector = vectors.Count - 1;
            }
        }
        var g = Next(source, lines, ref k, "G2G3");
        string kind = Word(source, g.Number, g.Words, 1);
        if (kind == "G2")
        {
            var rs = Values(source, Next(source, lines, ref k, "Rs"), count);
            var eta = Values(source, Next(source, lines, ref k, "eta"), count);
            for (int i = 0; i < count; i++)
                functions.Add(vector < 0 ? SymmetryFunction.RadialGaussian(rs[i], eta[i]) : SymmetryFunction.OrientationGaussian(vector, rs[i], eta[i]));
        }
        else if (kind == "G3")
        {
            var kappa = Values(source, Next(source, lines, ref k, "kappa"), count);
            for (int i = 0; i < count; i++)
                functions.Add(vector < 0 ? SymmetryFunction.RadialCosine(kappa[i]) : SymmetryFunction.OrientationCosine(vector, kappa[i]));
        }
        else throw Error(source, g.Number, $"'G2G3' is G2 or G3, got '{kind}'");
        return k;
    }

    private static (int Number, string[] Words) Next(string source, List<(int Number, string[] Words)> lines, ref int k, string key)
    {
        int at = lines[k].Number;
        if (++k >= lines.Count) throw new ArgumentException($"{source}: the block that starts before line {at + 1} ends without its '{key}' line");
        if (lines[k].Words[0] != key) throw Error(source, lines[k].Number, $"expected '{key}' here, got '{lines[k].Words[0]}'");
        return lines[k];
    }

    private static double[] Values(string source, (int Number, string[] Words) line, int count)
    {
        if (line.Words.Length - 1 != count)
            throw Error(source, line.Number, $"'{line.Words[0]}' needs {count} values (number_of_para), got {line.Words.Length - 1}");
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = Number(source, line.Number, line.Words, i + 1);
        return values;
    }

    /// <summary>Non-empty lines without comments, split into words, with their 1-based numbers.</summary>
    private static List<(int Number, string[] Words)> Lines(string text)
    {
        var result = new List<(int, string[])>();
        var raw = text.Split('\n');
        for (int i = 0; i < raw.Length; i++)
        {
            var line = raw[i];
            int cut = line.IndexOf("//", StringComparison.Ordinal);
            if (cut >= 0) line = line[..cut];
            cut = line.IndexOf('#');
            if (cut >= 0) line = line[..cut];
            var words = line.Split((char[])[' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 0) result.Add((i + 1, words));
        }
        return result;
    }

    private static string Word(string source, int number, string[] words, int index) =>
        index < words.Length ? words[index] : throw Error(source, number, $"'{string.Join(' ', words)}' is missing a value");

    private static double Number(string source, int number, string[] words, int index)
    {
        var w = Word(source, number, words, index);
        return double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw Error(source, number, $"'{w}' is not a number");
    }

    private static int Int(string source, int number, string[] words, int index)
    {
        var w = Word(source, number, words, index);
        return int.TryParse(w, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw Error(source, number, $"'{w}' is not an integer");
    }

    private static ArgumentException Error(string source, int line, string message) => new($"{source} line {line}: {message}");
}
