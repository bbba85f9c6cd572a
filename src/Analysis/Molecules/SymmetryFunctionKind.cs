namespace StreamMonitor.Analysis.Molecules;

/// <summary>
/// The four point-vector symmetry functions of Kuroshima et al. (JCTC 2024). Each is a sum over the neighbour molecules
/// J of molecule I within r_max, weighted by the smooth cutoff f_c(r_IJ); cos θ_IJ is the cosine between the same
/// orientation vector of I and of J. The reference program calls S1/S3 "G2" and S2/S4 "G3".
/// </summary>
public enum SymmetryFunctionKind
{
    /// <summary>S1 = Σ exp(−η (r_IJ − R_s)²) f_c (reference: point, G2, <c>Rs</c>/<c>eta</c>).</summary>
    RadialGaussian,

    /// <summary>S2 = Σ cos(κ r_IJ) f_c (reference: point, G3, <c>kappa</c>).</summary>
    RadialCosine,

    /// <summary>S3 = Σ exp(−η (cos θ_IJ − c_s)²) f_c (reference: vector, G2; its <c>Rs</c> is the cosine c_s).</summary>
    OrientationGaussian,

    /// <summary>S4 = Σ cos(κ cos θ_IJ) f_c (reference: vector, G3, <c>kappa</c>).</summary>
    OrientationCosine,
}
