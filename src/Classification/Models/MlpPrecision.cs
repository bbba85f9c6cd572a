namespace StreamMonitor.Classification.Models;

/// <summary>The floating-point type a network is evaluated in.</summary>
public enum MlpPrecision
{
    /// <summary>float32: about twice the throughput; outputs agree with double precision to ~1e-6.</summary>
    Single,

    /// <summary>float64: reproduces published networks to 1e-12; used when checking against a reference.</summary>
    Double,
}
