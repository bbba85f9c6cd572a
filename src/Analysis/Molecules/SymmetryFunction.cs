namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// One molecular symmetry function (one feature column): its kind, the orientation vector it uses (0-based; -1 for the
/// radial kinds), and its parameters — <see cref="Center"/> is R_s (Å) for S1 and the cosine c_s for S3,
/// <see cref="Width"/> is η for S1/S3, <see cref="Kappa"/> is κ for S2/S4.
/// </summary>
public readonly record struct SymmetryFunction(SymmetryFunctionKind Kind, int Vector, double Center, double Width, double Kappa)
{
    public static SymmetryFunction RadialGaussian(double rs, double eta) => new(SymmetryFunctionKind.RadialGaussian, -1, rs, eta, 0);

    public static SymmetryFunction RadialCosine(double kappa) => new(SymmetryFunctionKind.RadialCosine, -1, 0, 0, kappa);

    public static SymmetryFunction OrientationGaussian(int vector, double cosCenter, double eta) =>
        new(SymmetryFunctionKind.OrientationGaussian, vector, cosCenter, eta, 0);

    public static SymmetryFunction OrientationCosine(int vector, double kappa) => new(SymmetryFunctionKind.OrientationCosine, vector, 0, 0, kappa);

    public bool UsesVector => Kind is SymmetryFunctionKind.OrientationGaussian or SymmetryFunctionKind.OrientationCosine;

    /// <summary>The value of one neighbour's term before the cutoff weight: r for the radial kinds, cos θ for the others.</summary>
    public double Term(double argument) => Kind switch
    {
        SymmetryFunctionKind.RadialGaussian or SymmetryFunctionKind.OrientationGaussian =>
            Math.Exp(-Width * (argument - Center) * (argument - Center)),
        _ => Math.Cos(Kappa * argument),
    };

    public override string ToString() => Kind switch
    {
        SymmetryFunctionKind.RadialGaussian => $"S1(Rs={Center}, eta={Width})",
        SymmetryFunctionKind.RadialCosine => $"S2(kappa={Kappa})",
        SymmetryFunctionKind.OrientationGaussian => $"S3(v{Vector + 1}, cos_s={Center}, eta={Width})",
        _ => $"S4(v{Vector + 1}, kappa={Kappa})",
    };
}
