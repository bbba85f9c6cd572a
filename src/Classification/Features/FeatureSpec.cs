using System.Text.Json.Nodes;
using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Analysis.Parallelism;

namespace StreamMonitor.Classification.Features;

/// <summary>
/// What a model's inputs are and how to compute them from a frame; stored in the model file so a model carries its own
/// featurisation.
/// </summary>
public abstract record FeatureSpec
{
    /// <summary>The name stored in model and dataset files ("steinhardt", "molsf", "graph", "molgraph").</summary>
    public abstract string Kind { get; }

    /// <summary>One name per input, in order.</summary>
    public abstract IReadOnlyList<string> Names { get; }

    /// <summary>True when rows are molecules (CSV column <c>mol</c>), false when they are atoms (<c>id</c>).</summary>
    public abstract bool PerMolecule { get; }

    public int Width => Names.Count;

    /// <param name="cores">The budget the featurizer's parallel loops borrow from; null for <see cref="CoreBudget.Shared"/>.</param>
    public abstract IFeaturizer CreateFeaturizer(CoreBudget? cores = null);

    /// <summary>
    /// These features with atom roles read through <paramref name="mapping"/> (a user's <c>--roles</c>); a null mapping
    /// changes nothing, and only molecular features take one.
    /// </summary>
    public virtual FeatureSpec WithAtomRoles(AtomRoleMapping? mapping) => mapping is null
        ? this
        : throw new ArgumentException($"{mapping.Option}: atom roles are for molecular models; this model's features are {Kind}");

    /// <summary>The spec as a JSON object with a <c>kind</c> field.</summary>
    public abstract JsonObject ToJson();

    /// <summary>Reads a spec written by <see cref="ToJson"/>; <paramref name="where"/> names the file for errors.</summary>
    public static FeatureSpec FromJson(JsonObject json, string where)
    {
        string kind = json["kind"]?.GetValue<string>() ?? throw new FormatException($"{where}: features: no \"kind\"");
        return kind switch
        {
            AtomicFeatureSpec.KindName => AtomicFeatureSpec.Read(json, where),
            MolecularFeatureSpec.KindName => MolecularFeatureSpec.Read(json, where),
            GraphFeatureSpec.KindName => GraphFeatureSpec.Read(json, where),
            MolecularGraphFeatureSpec.KindName => MolecularGraphFeatureSpec.Read(json, where),
            _ => throw new FormatException(
                $"{where}: features: unknown kind \"{kind}\" (known: {AtomicFeatureSpec.KindName}, {MolecularFeatureSpec.KindName}, {GraphFeatureSpec.KindName}, {MolecularGraphFeatureSpec.KindName})"),
        };
    }
}
