using System.Text.Json.Nodes;
using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Analysis.Parallelism;

namespace StreamMonitor.Classification.Features;

/// <summary>
/// Each molecule's neighbourhood as one graph row (<see cref="MolecularNeighborhoods"/>): one row per molecule, in the
/// order of the <see cref="MolecularFeatureSpec"/> rows of the same preset; nodes are the molecule's own heavy atoms
/// (<c>own</c> 1) and then the heavy atoms of other molecules within <see cref="GraphFeatureSpec.Cutoff"/> of the
/// molecule's centre, nearest first, with displacements from the centre and types by element (the index of the atom's
/// element in <see cref="Elements"/>). A row holds at most <see cref="GraphFeatureSpec.Nodes"/> nodes: a neighbourhood
/// with more loses its farthest atoms, unused nodes are all zero (present 0).
/// </summary>
/// <remarks>
/// The default of 72 nodes is the most a urea neighbourhood of 6 Å holds in the frames of models/urea/make-dataset.sh
/// (62 heavy atoms, own included; 54 on average in form I, 47 in the melt, 33 at a surface) with a margin, so rows of
/// those systems are never cut; each node costs the network time in proportion to the nodes of its row.
/// </remarks>
public sealed record MolecularGraphFeatureSpec : GraphFeatureSpec
{
    public new const string KindName = "molgraph";

    /// <summary>Å, as in MXtalNet's molecular graphs.</summary>
    public const double DefaultCutoff = 6.0;

    public const int DefaultNodes = 72;

    /// <param name="preset">The molecule and its atom roles, by the name of a symmetry-function preset (urea, nicotinamide).</param>
    /// <param name="nodes">Most nodes per row, the molecule's own heavy atoms included.</param>
    public MolecularGraphFeatureSpec(string preset, double cutoff = DefaultCutoff, int nodes = DefaultNodes)
        : base(nodes - 1, cutoff, HeavyElementsOf(preset).Count)
    {
        Preset = preset;
        Parameters = MolecularSymmetryFunctionParameters.Preset(preset);
        var neighborhoods = new MolecularNeighborhoods(Parameters.Roles, cutoff);
        Elements = neighborhoods.Elements;
        int own = neighborhoods.HeavyAtoms;
        if (nodes < own) throw new ArgumentException($"nodes must hold at least the molecule's own {own} heavy atoms ({preset}), got {nodes}", nameof(nodes));
    }

    public override string Kind => KindName;
    public string Preset { get; }

    /// <summary>The preset's atom roles (and bond cutoffs), which say what the molecules are and which atom is which element.</summary>
    public MolecularSymmetryFunctionParameters Parameters { get; private init; }

    /// <summary>Node types: element symbols (hydrogen left out), type index = position.</summary>
    public IReadOnlyList<string> Elements { get; }

    /// <summary>
    /// The user's atom-role mapping for files that name atoms by type only; null reads roles from what each frame
    /// carries. Not stored in model files: it describes the trajectory, not the model.
    /// </summary>
    public AtomRoleMapping? AtomRoles { get; private init; }

    public override MolecularGraphFeatureSpec WithAtomRoles(AtomRoleMapping? mapping) =>
        this with { AtomRoles = mapping, Parameters = Parameters.WithRoles(Parameters.Roles.WithMapping(mapping)) };

    public override bool PerMolecule => true;

    public override IFeaturizer CreateFeaturizer(CoreBudget? cores = null) => new MolecularGraphFeaturizer(this, cores);

    public override JsonObject ToJson() => new() { ["kind"] = Kind, ["preset"] = Preset, ["cutoff"] = Cutoff, ["nodes"] = Nodes };

    internal static new MolecularGraphFeatureSpec Read(JsonObject json, string where)
    {
        try
        {
            return new MolecularGraphFeatureSpec(
                json["preset"]?.GetValue<string>() ?? throw new FormatException("no \"preset\""),
                json["cutoff"]?.GetValue<double>() ?? throw new FormatException("no \"cutoff\""),
                json["nodes"]?.GetValue<int>() ?? throw new FormatException("no \"nodes\""));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException($"{where}: features ({KindName}): {e.Message}", e);
        }
    }

    private static IReadOnlyList<string> HeavyElementsOf(string preset) =>
        MolecularNeighborhoods.HeavyElements(MolecularSymmetryFunctionParameters.Preset(preset).Roles);
}
