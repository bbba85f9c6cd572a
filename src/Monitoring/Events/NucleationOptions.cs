namespace StreamMonitor.Monitoring.Events;

/// <summary>
/// When <see cref="NucleationDetector"/> calls a growing crystal a nucleation: the largest crystalline cluster n_max
/// reaches <c>max(Threshold, first-frame n_max + Growth)</c> and stays there for <see cref="Consecutive"/> frames.
/// The growth term makes one rule serve both kinds of run: one that starts liquid (first n_max of a few tens, so the
/// absolute threshold decides) and one that starts from a seed (a 1200-atom slab would pass any absolute threshold
/// at frame 0; it fires once the slab has grown by <see cref="Growth"/>).
/// </summary>
public sealed record NucleationOptions
{
    /// <summary>
    /// Smallest n_max that counts, in rows (atoms or molecules). 100: well above the largest solid-like cluster a
    /// supercooled Lennard-Jones liquid throws up by chance (tens of particles with ten Wolde bonds), and about the
    /// size of a critical nucleus at the ~20 % undercooling of typical nucleation runs (ten Wolde, Ruiz-Montero and
    /// Frenkel found ~80 at 20 %), so a cluster past it is, with <see cref="Consecutive"/> frames, past the barrier.
    /// </summary>
    public int Threshold { get; init; } = 100;

    /// <summary>
    /// Rows n_max must gain over its first frame; null turns the relative rule off (absolute threshold only). 100, the
    /// same "one nucleus' worth of new crystal": a seed slab's surface atoms flicker by tens between frames, so a
    /// gain of 100 held for three frames is growth, not noise.
    /// </summary>
    public int? Growth { get; init; } = 100;

    /// <summary>
    /// Frames in a row n_max must stay at or above the threshold. 3: a sub-critical cluster that crosses for one
    /// frame dissolves again; the event still reports the first of the three frames.
    /// </summary>
    public int Consecutive { get; init; } = 3;

    /// <summary>
    /// After firing, n_max must fall below this fraction of the firing threshold before the detector fires again.
    /// 0.5: the crystal must lose half its size, i.e. have really melted, not merely shed a surface layer.
    /// </summary>
    public double RearmFraction { get; init; } = 0.5;

    public void Validate()
    {
        OptionChecks.AtLeastOne(Threshold, "threshold");
        if (Growth is { } growth) OptionChecks.AtLeastOne(growth, "growth");
        OptionChecks.AtLeastOne(Consecutive, "consecutive");
        OptionChecks.Fraction(RearmFraction, "rearm_fraction");
    }
}
