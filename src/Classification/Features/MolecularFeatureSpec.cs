using System.Text.Json.Nodes;
using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Analysis.Parallelism;

namespace StreamMonitor.Classification.Features;

/// <summary>
/// The molecular symmetry functions of Kuroshima et al. (JCTC 2024) with a named parameter set (urea, nicotinamide):
/// one row per molecule, molecules from the trajectory's <c>mol</c> column.
/// </summary>
public sealed record MolecularFeatureSpec : FeatureSpec
{
    public const string KindName = "molsf";

    public MolecularFeatureSpec(string preset)
    {
        if (!MolecularSymmetryFunctionParameters.PresetNames.Contains(preset))
            throw new ArgumentException($"unknown symmetry-function preset '{preset}' (known: {string.Join(", ", MolecularSymmetryFunctionParameters.PresetNames)})", nameof(preset));
        Preset = preset;
        Parameters = MolecularSymmetryFunctionParameters.Preset(preset);
        Names = Enumerable.Range(1, Parameters.Functions.Count).Select(i => $"sf{i}").ToArray();
    }

    public override string Kind => KindName;
    public string Preset { get; }
    public MolecularSymmetryFunctionParameters Parameters { get; private init; }

    /// <summary>
    /// The user's atom-role mapping for files that name atoms by type only; null reads roles from what each frame
    /// carries. Not stored in model files: it describes the trajectory, not the model.
    /// </summary>
    public AtomRoleMapping? AtomRoles { get; private init; }

    /// <summary>The same features with atom roles read through <paramref name="mapping"/>; throws naming its option when it does not fit the preset.</summary>
    public override MolecularFeatureSpec WithAtomRoles(AtomRoleMapping? mapping) =>
        this with { AtomRoles = mapping, Parameters = Parameters.WithRoles(Parameters.Roles.WithMapping(mapping)) };
    public override IReadOnlyList<string> Names { get; }
    public override bool PerMolecule => true;

    public override IFeaturizer CreateFeaturizer(CoreBudget? cores = null) => new MolecularFeaturizer(this, cores);

    public override JsonObject ToJson() => new() { ["kind"] = Kind, ["preset"] = Preset };

    internal static MolecularFeatureSpec Read(JsonObject json, string where)
    {
        try
        {
            return new MolecularFeatureSpec(json["preset"]?.GetValue<string>() ?? throw new FormatException("no \"preset\""));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException($"{where}: features ({KindName}): {e.Message}", e);
        }
    }
}
