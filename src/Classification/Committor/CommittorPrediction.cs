using System.Text.Json.Serialization;

namespace StreamMonitor.Classification.Committor;

/// <summary>What a committor model predicts for one configuration: p_B and the coordinate q, p_B = ½ (1 + tanh q).</summary>
public sealed record CommittorPrediction(string Id, [property: JsonPropertyName("p_b")] double PB, double Coordinate);
