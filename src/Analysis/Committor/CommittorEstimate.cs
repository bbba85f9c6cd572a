namespace StreamMonitor.Analysis.Committor;

/// <summary>
/// A shooting point's committor from its shots: those that reached A, those that reached B, and those still undecided
/// at the maximum length (left out of p_B, reported beside it). The interval is Jeffreys' (<see cref="CommittorInterval"/>).
/// </summary>
public sealed record CommittorEstimate(string PointId, int ToA, int ToB, int Undecided, double PB, double Lower, double Upper)
{
    public int Decided => ToA + ToB;

    /// <summary>Whether ½ lies in the interval: the point may belong to the transition-state ensemble.</summary>
    public bool MayBeTransitionState => Decided > 0 && Lower <= 0.5 && Upper >= 0.5;

    public static CommittorEstimate Of(string pointId, int toA, int toB, int undecided = 0, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(toA);
        ArgumentOutOfRangeException.ThrowIfNegative(undecided);
        var (lower, upper) = CommittorInterval.Jeffreys(toB, toA + toB, confidence);
        double pB = toA + toB == 0 ? double.NaN : (double)toB / (toA + toB);
        return new CommittorEstimate(pointId, toA, toB, undecided, pB, lower, upper);
    }
}
