using System.Text.Json.Nodes;
using StreamMonitor.Analysis.Parallelism;

namespace StreamMonitor.Classification.Features;

/// <summary>
/// Per-atom features for single-component systems: Lechner–Dellago averaged Steinhardt q̄_l for <see cref="Degrees"/>,
/// ŵ_l of the averaged q̄_lm for <see cref="WlDegrees"/>, and the coordination number, all over the neighbours within
/// <see cref="Cutoff"/> (in the trajectory's length unit).
/// </summary>
public sealed record AtomicFeatureSpec : FeatureSpec
{
    public const string KindName = "steinhardt";

    public AtomicFeatureSpec(IReadOnlyList<int> degrees, IReadOnlyList<int> wlDegrees, double cutoff, bool average = true, bool coordination = true)
    {
        if (degrees.Count == 0) throw new ArgumentException("at least one Steinhardt degree is needed", nameof(degrees));
        if (degrees.Any(l => l is < 1 or > 32) || degrees.Distinct().Count() != degrees.Count)
            throw new ArgumentException($"degrees must be distinct and in 1..32, got {string.Join(",", degrees)}", nameof(degrees));
        if (wlDegrees.Any(l => !degrees.Contains(l)))
            throw new ArgumentException($"every w_l degree must also be a q_l degree (q: {string.Join(",", degrees)}, w: {string.Join(",", wlDegrees)})", nameof(wlDegrees));
        if (!(cutoff > 0 && double.IsFinite(cutoff))) throw new ArgumentException($"cutoff must be positive, got {cutoff}", nameof(cutoff));
        Degrees = degrees.ToArray();
        WlDegrees = wlDegrees.ToArray();
        Cutoff = cutoff;
        Average = average;
        Coordination = coordination;
        string bar = average ? "avg_" : "";
        Names = [.. Degrees.Select(l => $"{bar}q{l}"), .. WlDegrees.Select(l => $"{bar}w{l}"), .. (coordination ? new[] { "coordination" } : [])];
    }

    /// <summary>The features of the shipped Lennard-Jones model: q̄4, q̄6, q̄8, ŵ4, ŵ6, ŵ8 and coordination within 1.5 σ.</summary>
    public static AtomicFeatureSpec LennardJones { get; } = new([4, 6, 8], [4, 6, 8], 1.5);

    public override string Kind => KindName;
    public IReadOnlyList<int> Degrees { get; }
    public IReadOnlyList<int> WlDegrees { get; }
    public double Cutoff { get; }
    public bool Average { get; }
    public bool Coordination { get; }
    public override IReadOnlyList<string> Names { get; }
    public override bool PerMolecule => false;

    public override IFeaturizer CreateFeaturizer(CoreBudget? cores = null) => new AtomicFeaturizer(this, cores);

    public override JsonObject ToJson() => new()
    {
        ["kind"] = Kind,
        ["degrees"] = new JsonArray(Degrees.Select(l => (JsonNode)l).ToArray()),
        ["wl_degrees"] = new JsonArray(WlDegrees.Select(l => (JsonNode)l).ToArray()),
        ["cutoff"] = Cutoff,
        ["average"] = Average,
        ["coordination"] = Coordination,
    };

    internal static AtomicFeatureSpec Read(JsonObject json, string where)
    {
        try
        {
            var degrees = json["degrees"]?.AsArray().Select(n => n!.GetValue<int>()).ToArray() ?? throw new FormatException("no \"degrees\"");
            var wl = json["wl_degrees"]?.AsArray().Select(n => n!.GetValue<int>()).ToArray() ?? [];
            double cutoff = json["cutoff"]?.GetValue<double>() ?? throw new FormatException("no \"cutoff\"");
            return new AtomicFeatureSpec(degrees, wl, cutoff, json["average"]?.GetValue<bool>() ?? true, json["coordination"]?.GetValue<bool>() ?? true);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException($"{where}: features ({KindName}): {e.Message}", e);
        }
    }
}
