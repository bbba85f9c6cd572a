namespace StreamMonitor.Grains.Pipeline;

/// <summary>What <see cref="FrameSummarizer"/> counts as crystalline and how it links crystalline rows into clusters.</summary>
public sealed record SummarizerOptions
{
    /// <summary>Classes that are not crystals: the default crystalline set is every other class of the model.</summary>
    public static IReadOnlyList<string> NonCrystallineDefaults { get; } = ["liquid", "melt", "ico"];

    /// <summary>Classes counted as crystalline (n_max, crystalline fraction); null for the model's classes minus <see cref="NonCrystallineDefaults"/>.</summary>
    public IReadOnlyList<string>? CrystallineClasses { get; init; }

    /// <summary>
    /// Centre-to-centre distance that links two crystalline molecules into one cluster (Å). Urea's nearest centres are
    /// 4.5–5.5 Å apart in its crystals, nicotinamide's 4–6 Å; 7 Å takes in the first shell and not the second.
    /// Atomic models link the neighbours their features were computed on (the model's cutoff).
    /// </summary>
    public double MolecularClusterCutoff { get; init; } = 7.0;

    public void Validate(IReadOnlyList<string> modelClasses)
    {
        if (!(MolecularClusterCutoff > 0 && double.IsFinite(MolecularClusterCutoff)))
            throw new ArgumentException($"the molecular cluster cutoff must be positive, got {MolecularClusterCutoff}");
        foreach (var c in CrystallineClasses ?? [])
            if (!modelClasses.Contains(c))
                throw new ArgumentException($"crystalline class '{c}' is not one of the model's classes ({string.Join(", ", modelClasses)})");
    }
}
