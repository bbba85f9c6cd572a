namespace StreamMonitor.Classification.Training;

/// <summary>How the Adam learning rate moves over the epochs of a training run.</summary>
public enum LearningRateSchedule
{
    /// <summary>The learning rate throughout.</summary>
    Constant,

    /// <summary>
    /// From the learning rate down to nearly zero along half a cosine over the epoch limit, so the last epochs settle into
    /// a minimum the constant rate keeps stepping over; set the epoch limit to the epochs the run can afford.
    /// </summary>
    Cosine,
}
