using System.CommandLine;
using StreamMonitor.Classification.Features;

namespace StreamMonitor.Cli.Models;

/// <summary>The <c>--features</c> choice of <c>dataset</c>: a named spec, or the atomic, graph or molecular graph spec with its parameters.</summary>
internal static class FeatureOptions
{
    public static Option<string> Kind() => new("--features")
    {
        Description = "Features to compute: lj (q̄4 q̄6 q̄8 ŵ4 ŵ6 ŵ8 + coordination within --cutoff), steinhardt, molsf:urea, molsf:nicotinamide, " +
                      "graph (each atom's --neighbors nearest within --cutoff, for train --arch gnn), " +
                      "molgraph:urea, molgraph:nicotinamide (each molecule's heavy atoms and those within --cutoff of its centre, at most --nodes, for train --arch gnn).",
        DefaultValueFactory = _ => "lj",
    };

    public static Option<double?> Cutoff() => new("--cutoff")
    {
        Description = $"Neighbour cutoff for atomic features (default 1.5, in the file's length unit) or molgraph features (default {MolecularGraphFeatureSpec.DefaultCutoff} Å).",
    };

    public static Option<int?> Neighbors() => new("--neighbors") { Description = "Most neighbours per atom for graph features (default 18)." };

    public static Option<int?> Nodes() => new("--nodes")
    {
        Description = $"Most nodes per molecule for molgraph features, its own heavy atoms included (default {MolecularGraphFeatureSpec.DefaultNodes}; the farthest atoms beyond it are left out).",
    };

    public static Option<string?> Degrees() => new("--l") { Description = "Steinhardt degrees for atomic features (default 4,6,8)." };

    public static FeatureSpec Parse(string kind, double? cutoff, string? degrees, int? neighbors = null, int? nodes = null)
    {
        if (neighbors is not null && kind != GraphFeatureSpec.KindName) throw new ArgumentException($"--neighbors is for {GraphFeatureSpec.KindName} features");
        const string molecularGraph = MolecularGraphFeatureSpec.KindName + ":";
        if (nodes is not null && !kind.StartsWith(molecularGraph, StringComparison.Ordinal))
            throw new ArgumentException($"--nodes is for {MolecularGraphFeatureSpec.KindName} features");
        if (kind.StartsWith(molecularGraph, StringComparison.Ordinal))
        {
            if (degrees is not null) throw new ArgumentException($"--l is for Steinhardt features, not {MolecularGraphFeatureSpec.KindName}");
            return new MolecularGraphFeatureSpec(kind[molecularGraph.Length..], cutoff ?? MolecularGraphFeatureSpec.DefaultCutoff,
                nodes ?? MolecularGraphFeatureSpec.DefaultNodes);
        }
        if (kind == GraphFeatureSpec.KindName)
        {
            if (degrees is not null) throw new ArgumentException($"--l is for Steinhardt features, not {GraphFeatureSpec.KindName}");
            var graph = GraphFeatureSpec.LennardJones;
            return new GraphFeatureSpec(neighbors ?? graph.Neighbors, cutoff ?? graph.Cutoff, graph.Types);
        }
        if (kind.StartsWith(MolecularFeatureSpec.KindName + ":", StringComparison.Ordinal))
        {
            if (cutoff is not null || degrees is not null) throw new ArgumentException("--cutoff and --l are for atomic features; molecular features take theirs from the preset");
            return new MolecularFeatureSpec(kind[(MolecularFeatureSpec.KindName.Length + 1)..]);
        }
        if (kind is not ("lj" or AtomicFeatureSpec.KindName))
            throw new ArgumentException($"--features: unknown '{kind}' (lj, steinhardt, molsf:urea, molsf:nicotinamide, graph, molgraph:urea, molgraph:nicotinamide)");
        var spec = AtomicFeatureSpec.LennardJones;
        var l = degrees is null ? spec.Degrees : degrees.Split(',').Select(t => int.TryParse(t, out int v) ? v : throw new ArgumentException($"--l: '{t}' is not a degree")).ToArray();
        return new AtomicFeatureSpec(l, spec.WlDegrees.Where(l.Contains).ToArray(), cutoff ?? spec.Cutoff);
    }
}
