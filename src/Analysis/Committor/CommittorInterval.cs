using MathNet.Numerics.Distributions;

namespace StreamMonitor.Analysis.Committor;

/// <summary>
/// Confidence intervals for a committor p_B estimated from n decided shots of which b reached B. The plain b/n with a
/// normal interval is useless at the ends (0 of 10 would say p_B = 0 ± 0), which is where most shooting points of a
/// campaign sit: Wilson's score interval and the Jeffreys interval (Brown, Cai and DasGupta 2001) keep their coverage
/// there.
/// </summary>
public static class CommittorInterval
{
    /// <summary>Wilson's score interval at <paramref name="confidence"/> (0.95: 95 %).</summary>
    public static (double Lower, double Upper) Wilson(int toB, int decided, double confidence = 0.95)
    {
        Check(toB, decided, confidence);
        if (decided == 0) return (0, 1);
        double z = Normal.InvCDF(0, 1, 0.5 + confidence / 2);
        double p = (double)toB / decided, z2 = z * z;
        double centre = (p + z2 / (2 * decided)) / (1 + z2 / decided);
        double half = z / (1 + z2 / decided) * Math.Sqrt(p * (1 - p) / decided + z2 / (4.0 * decided * decided));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>The Jeffreys interval: the equal-tailed interval of the Beta(b + ½, n − b + ½) posterior, closed at 0 or 1 when b is.</summary>
    public static (double Lower, double Upper) Jeffreys(int toB, int decided, double confidence = 0.95)
    {
        Check(toB, decided, confidence);
        if (decided == 0) return (0, 1);
        double tail = (1 - confidence) / 2;
        double lower = toB == 0 ? 0 : Beta.InvCDF(toB + 0.5, decided - toB + 0.5, tail);
        double upper = toB == decided ? 1 : Beta.InvCDF(toB + 0.5, decided - toB + 0.5, 1 - tail);
        return (lower, upper);
    }

    private static void Check(int toB, int decided, double confidence)
    {
        if (decided < 0 || toB < 0 || toB > decided) throw new ArgumentOutOfRangeException(nameof(toB), $"{toB} of {decided} shots: need 0 <= b <= n");
        if (confidence is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "must lie strictly between 0 and 1");
    }
}
