namespace StreamMonitor.Classification.Committor;

/// <summary>
/// What a <see cref="CommittorModel"/> reports, for the command line and the HTTP API (snake_case through the contract's
/// JSON settings): the inputs it was given and those it ignores as constant, its log-likelihood over the training shots
/// beside the linear (Peters–Trout) coordinate's on the same shots (null when that fit has no maximum), the shots and
/// points it learnt from, the inputs' sensitivities (largest first) and, when asked for, its predictions per point.
/// </summary>
public sealed record CommittorModelSummary
{
    public required IReadOnlyList<string> Inputs { get; init; }
    public required IReadOnlyList<string> IgnoredInputs { get; init; }
    public required IReadOnlyList<int> Hidden { get; init; }
    public required double LogLikelihood { get; init; }
    public required double? LinearLogLikelihood { get; init; }
    public required int NShots { get; init; }
    public required int NPoints { get; init; }
    public required IReadOnlyList<InputSensitivity> Sensitivities { get; init; }
    public IReadOnlyList<CommittorPrediction>? Predictions { get; init; }
}
