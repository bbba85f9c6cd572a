using StreamMonitor.Analysis.Committor;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>One shooting point's committor estimate with its values; p_B and the interval are null before a shot from it is decided.</summary>
public sealed record PointCommittor
{
    public required string PointId { get; init; }
    public int ToA { get; init; }
    public int ToB { get; init; }
    public int Undecided { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("p_b")]
    public double? PB { get; init; }
    public double? Lower { get; init; }
    public double? Upper { get; init; }
    public bool MayBeTransitionState { get; init; }
    public IReadOnlyDictionary<string, double> Values { get; init; } = new Dictionary<string, double>();

    public static PointCommittor Of(ShootingPoint point, CommittorEstimate estimate) => new()
    {
        PointId = point.Id, ToA = estimate.ToA, ToB = estimate.ToB, Undecided = estimate.Undecided,
        PB = estimate.Decided > 0 ? estimate.PB : null,
        Lower = estimate.Decided > 0 ? estimate.Lower : null,
        Upper = estimate.Decided > 0 ? estimate.Upper : null,
        MayBeTransitionState = estimate.MayBeTransitionState,
        Values = point.Values,
    };
}
