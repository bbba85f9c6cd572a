namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// The built-in parameter sets, kept in the reference INPUT format so they go through the same parser as user files
/// and can be compared line by line with their sources: <c>molvec_lib/ver2.0/INPUT_urea.dat</c> and
/// <c>INPUT_nico_crystal.dat</c> of rogalj/MolStrucClassifier (BSD-3-Clause; Kuroshima, Kilgour, Tuckerman, Rogal,
/// JCTC 2024). Only the lines the features depend on are kept. They are in code, not read from disk, so a preset works
/// wherever the program runs.
/// </summary>
internal static class MolecularSymmetryFunctionPresets
{
    /// <summary>
    /// Urea: center C, v1 = C → O, v2 = N1 → N2, named by <c>sym_type</c> (0 H, 1 C, 2 O, 3 N1, 4 N2), as in the
    /// reference; r 9.8–10.0 Å.
    /// </summary>
    private const string Urea = """
        role_column      sym_type
        center atom      1
        atm in molec     8
        cutoffmin        9.8
        cutoffmax        10.0
        num_sf           24
        num_pvsf_type    2

        number_of_para   4
        point            true
        G2G3             G2
        Rs               6.16 6.28 6.76 6.88
        eta              2.44 2.68 1.0 1.0

        number_of_para   4
        point            false
        vec_id           1 2
        G2G3             G2
        Rs               0.36 0.08 0.36 0.28
        eta              1.0 1.0 1.12 6.76

        number_of_para   4
        point            false
        vec_id           3 4
        G2G3             G2
        Rs               -0.64 -0.36 0.88 1.0
        eta              3.28 3.28 3.28 3.28

        number_of_para   4
        point            true
        G2G3             G3
        kappa            2.5 4.54 4.9 6.22

        number_of_para   4
        point            false
        vec_id           1 2
        G2G3             G3
        kappa            2.5 3.58 4.78 8.26

        number_of_para   4
        point            false
        vec_id           3 4
        G2G3             G3
        kappa            2.50 8.12 8.24 8.36
        """;

    /// <summary>
    /// Nicotinamide: the reference names atoms by <c>sym_type</c> (center 2 = ring C6, v1 = 2 → 1 = C6 → C3,
    /// v2 = 3 → 4 = O → amide N). Its dumps carry the force-field types in <c>element</c> instead (10 = C6, 9 = C3,
    /// 3 = O, 6 = amide N), so the preset uses those; r 6.8–7.0 Å.
    /// </summary>
    private const string Nicotinamide = """
        role_column      element
        center atom      10
        atm in molec     16
        cutoffmin        6.8
        cutoffmax        7.0
        num_sf           24
        num_pvsf_type    2
        NNrdf            true
        fullNeigh        7

        number_of_para   4
        point            true
        G2G3             G2
        Rs               3.75 4.86 4.9 5.9
        eta              1.26 2.11 0.1 0.016

        number_of_para   4
        point            false
        vec_id           10 9
        G2G3             G2
        Rs               0.01 2.71 2.9 1.69
        eta              0.66 1.11 0.9 4.0

        number_of_para   4
        point            false
        vec_id           3 6
        G2G3             G2
        Rs               0.56 2.26 1.18 1.15
        eta              3.0 1.11 17.2 2.2

        number_of_para   4
        point            true
        G2G3             G3
        kappa            1.06 0.51 1.03 2.41

        number_of_para   4
        point            false
        vec_id           10 9
        G2G3             G3
        kappa            0.13 7.91 5.05 3.2

        number_of_para   4
        point            false
        vec_id           3 6
        G2G3             G3
        kappa            1.05 2.21 2.36 13.22
        """;

    public static IReadOnlyList<string> Names { get; } = ["urea", "nicotinamide"];

    /// <summary>
    /// Urea's roles in a standard dump: C, O and the two N, N1 being the one with the lower atom id (so it is in every
    /// molecule of the reference program's dumps, whose sym_type 3 and 4 these reproduce).
    /// </summary>
    private static readonly ElementRoles UreaElements = new("urea", new ElementRole("C", "C"),
        [(new ElementRole("C", "C"), new ElementRole("O", "O")), (new ElementRole("N1", "N", 1), new ElementRole("N2", "N", 2))],
        [("C", 1), ("O", 1), ("N", 2), ("H", 4)]);

    /// <summary>
    /// Nicotinamide's roles by atom order, as in the reference's LAMMPS data (and every molecule of its test dump): the
    /// ring carbon that carries the amide (C3) is the molecule's first carbon by atom id, the ring carbon para to it (C6)
    /// the third, the amide nitrogen the second nitrogen.
    /// </summary>
    private static readonly ElementRoles NicotinamideElements = new("nicotinamide", new ElementRole("C6", "C", 3),
        [(new ElementRole("C6", "C", 3), new ElementRole("C3", "C", 1)), (new ElementRole("O", "O"), new ElementRole("N", "N", 2))],
        [("C", 6), ("N", 2), ("O", 1), ("H", 6)]);

    private static readonly Lazy<MolecularSymmetryFunctionParameters> UreaParameters = new(() => Build("urea", Urea, UreaElements));
    private static readonly Lazy<MolecularSymmetryFunctionParameters> NicotinamideParameters =
        new(() => Build("nicotinamide", Nicotinamide, NicotinamideElements));

    public static MolecularSymmetryFunctionParameters Get(string name) => name.ToLowerInvariant() switch
    {
        "urea" => UreaParameters.Value,
        "nicotinamide" => NicotinamideParameters.Value,
        _ => throw new ArgumentException($"unknown symmetry-function preset '{name}' (known: {string.Join(", ", Names)})"),
    };

    private static MolecularSymmetryFunctionParameters Build(string name, string text, ElementRoles elements)
    {
        var parsed = MolecularSymmetryFunctionInput.Parse(text, $"preset '{name}'");
        // The name for messages and output is the preset's, not "preset 'urea'" twice over.
        return new MolecularSymmetryFunctionParameters(name,
            new AtomRoles(parsed.Roles.Column, parsed.Roles.Center, parsed.Roles.Vectors, $"preset '{name}'", elements),
            parsed.CutoffMin, parsed.CutoffMax, parsed.Functions, parsed.Bonds, parsed.SurfaceNeighbors);
    }
}
