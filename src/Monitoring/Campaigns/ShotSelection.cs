namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>A point the campaign added by itself (<see cref="AdaptiveShooting"/>): what the committor network predicted there and from how many shots.</summary>
public sealed record ShotSelection
{
    public required string PointId { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("predicted_p_b")]
    public required double PredictedPB { get; init; }

    /// <summary>Decided shots the network was trained on when it chose.</summary>
    public required int TrainedOnShots { get; init; }

    /// <summary>The network's log-likelihood on those shots.</summary>
    public required double LogLikelihood { get; init; }

    public required DateTimeOffset At { get; init; }
}
