namespace StreamMonitor.Classification.Models;

/// <summary>
/// What a model's class stands for, as its model file declares it: what the live summaries count as crystalline (n_max,
/// the crystalline fraction, the dominant polymorph) comes from here, not from class names.
/// </summary>
public enum ClassRole
{
    /// <summary>A crystal structure (a polymorph): counted as crystalline.</summary>
    Crystal,

    /// <summary>The liquid or melt.</summary>
    Liquid,

    /// <summary>Neither, or not known yet (an output of a published network nobody has named, icosahedral motifs, ...).</summary>
    Other,
}
