namespace StreamMonitor.Classification.Committor;

/// <summary>How much the committor model's coordinate moves with one input: a share of the total, the weights sum to 1.</summary>
public sealed record InputSensitivity(string Input, double Weight);
