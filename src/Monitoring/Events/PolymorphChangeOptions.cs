namespace StreamMonitor.Monitoring.Events;

/// <summary>When <see cref="PolymorphChangeDetector"/> calls a change of the dominant crystalline class a polymorph change.</summary>
public sealed record PolymorphChangeOptions
{
    /// <summary>
    /// Frames in a row the new class must stay dominant; the same number settles the first polymorph of the run.
    /// 3: where two forms are close in number (fcc and hcp in a growing Lennard-Jones crystal) the lead changes hands
    /// frame to frame, and only a lead that holds is a transformation.
    /// </summary>
    public int Consecutive { get; init; } = 3;

    /// <summary>
    /// Rows the dominant class needs for a frame to say anything about the polymorph; frames with a smaller crystal
    /// break a streak. 20: a cluster of a few tens of rows is mostly surface, and its class is what the classifier
    /// is least sure of.
    /// </summary>
    public int MinimumCount { get; init; } = 20;

    public void Validate()
    {
        OptionChecks.AtLeastOne(Consecutive, "consecutive");
        OptionChecks.AtLeastOne(MinimumCount, "minimum_count");
    }
}
