namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// Everything a <see cref="MolecularSymmetryFunctions"/> compute needs: which atoms make each molecule's point and
/// vectors, the cutoff (r_min, r_max) and the ordered list of functions (one per feature). Comes from a preset
/// (<see cref="Preset"/>), from a file in the reference program's INPUT format (<see cref="Load"/>), or from code.
/// Immutable.
/// </summary>
public sealed class MolecularSymmetryFunctionParameters
{
    public MolecularSymmetryFunctionParameters(string name, AtomRoles roles, double cutoffMin, double cutoffMax,
        IReadOnlyList<SymmetryFunction> functions, BondCutoffs? bonds = null, int? surfaceNeighbors = null)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(functions);
        if (!(cutoffMin >= 0) || !(cutoffMax > cutoffMin) || !double.IsFinite(cutoffMax))
            throw new ArgumentException($"{name}: the cutoff needs 0 <= cutoffmin < cutoffmax, got {cutoffMin} and {cutoffMax}");
        if (functions.Count == 0) throw new ArgumentException($"{name}: no symmetry functions");
        for (int f = 0; f < functions.Count; f++)
        {
            var s = functions[f];
            if (!double.IsFinite(s.Center) || !double.IsFinite(s.Width) || !double.IsFinite(s.Kappa))
                throw new ArgumentException($"{name}: function {f + 1} ({s}) has a parameter that is not a finite number");
            if (s.UsesVector && (s.Vector < 0 || s.Vector >= roles.Vectors.Count))
                throw new ArgumentException($"{name}: function {f + 1} ({s}) uses vector {s.Vector + 1}, but the roles define {roles.Vectors.Count}");
            if (!s.UsesVector && s.Vector != -1)
                throw new ArgumentException($"{name}: function {f + 1} ({s}) is radial and takes no vector");
        }
        Name = name;
        Roles = roles;
        CutoffMin = cutoffMin;
        CutoffMax = cutoffMax;
        Functions = functions.ToArray();
        Bonds = bonds;
        SurfaceNeighbors = surfaceNeighbors;
    }

    /// <summary>Preset name or file the parameters came from.</summary>
    public string Name { get; }

    public AtomRoles Roles { get; }

    /// <summary>r_min: full weight up to here.</summary>
    public double CutoffMin { get; }

    /// <summary>r_max: no neighbour at or beyond.</summary>
    public double CutoffMax { get; }

    /// <summary>The functions in feature order.</summary>
    public IReadOnlyList<SymmetryFunction> Functions { get; }

    /// <summary>Bond cutoffs to find molecules in files without a <c>mol</c> column; null requires the column.</summary>
    public BondCutoffs? Bonds { get; }

    /// <summary>
    /// The reference program's <c>fullNeigh</c>: a molecule with fewer neighbours than this within r_max is at a surface
    /// (informational; <see cref="SurfaceClassifier"/> has its own radius and threshold).
    /// </summary>
    public int? SurfaceNeighbors { get; }

    /// <summary>The same functions with other atom roles (e.g. a dump that names atoms by <c>element</c>, not <c>sym_type</c>).</summary>
    public MolecularSymmetryFunctionParameters WithRoles(AtomRoles roles) =>
        new(Name, roles, CutoffMin, CutoffMax, Functions, Bonds, SurfaceNeighbors);

    /// <summary>Parameters in the reference program's INPUT format (see <see cref="MolecularSymmetryFunctionInput"/>).</summary>
    public static MolecularSymmetryFunctionParameters Parse(string text, string source = "parameters") =>
        MolecularSymmetryFunctionInput.Parse(text, source);

    /// <summary>Reads a parameter file in the reference INPUT format.</summary>
    public static MolecularSymmetryFunctionParameters Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{path}: cannot read the symmetry-function parameters ({e.Message})", e);
        }
        return MolecularSymmetryFunctionInput.Parse(text, path);
    }

    /// <summary>Names <see cref="Preset"/> accepts.</summary>
    public static IReadOnlyList<string> PresetNames => MolecularSymmetryFunctionPresets.Names;

    /// <summary>A built-in parameter set (<c>urea</c>, <c>nicotinamide</c>); throws naming the known ones otherwise.</summary>
    public static MolecularSymmetryFunctionParameters Preset(string name) => MolecularSymmetryFunctionPresets.Get(name);

    public static MolecularSymmetryFunctionParameters Urea => MolecularSymmetryFunctionPresets.Get("urea");

    public static MolecularSymmetryFunctionParameters Nicotinamide => MolecularSymmetryFunctionPresets.Get("nicotinamide");
}
