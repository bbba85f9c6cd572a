using StreamMonitor.Analysis.Molecules;

namespace StreamMonitor.Cli.Descriptors;

/// <summary>The molecular symmetry-function parameters chosen by <c>--preset</c> or <c>--params</c> (one or neither, not both).</summary>
internal static class MolecularOptions
{
    /// <summary>
    /// The chosen parameters with the atom roles of <c>--roles</c>, or null when neither option is given; throws on both
    /// or on a bad name, file or mapping.
    /// </summary>
    public static MolecularSymmetryFunctionParameters? Parameters(DescriptorOptions options)
    {
        var chosen = Chosen(options);
        return chosen is not null && options.AtomRoles is { } roles ? chosen.WithRoles(chosen.Roles.WithMapping(roles)) : chosen;
    }

    private static MolecularSymmetryFunctionParameters? Chosen(DescriptorOptions options)
    {
        if (options.Preset is not null && options.ParameterFile is not null)
            throw new ArgumentException("give --preset or --params, not both");
        if (options.Preset is { } preset)
            return MolecularSymmetryFunctionParameters.PresetNames.Contains(preset.ToLowerInvariant())
                ? MolecularSymmetryFunctionParameters.Preset(preset)
                : throw new ArgumentException($"--preset: unknown preset '{preset}' (known: {string.Join(", ", MolecularSymmetryFunctionParameters.PresetNames)})");
        if (options.ParameterFile is { } path)
            return File.Exists(path)
                ? MolecularSymmetryFunctionParameters.Load(path)
                : throw new ArgumentException($"--params: {path}: no such file");
        return null;
    }

    /// <summary>Refuses the neighbour options a molecular kind has no use for, naming them.</summary>
    public static void RejectNeighborOptions(DescriptorOptions options, string kind, string why)
    {
        if (options.Cutoff is not null) throw new ArgumentException($"--kind {kind} does not take --cutoff: {why}");
        if (options.Nearest is not null) throw new ArgumentException($"--kind {kind} does not take --nnn: {why}");
    }
}
