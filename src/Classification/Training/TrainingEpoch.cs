namespace StreamMonitor.Classification.Training;

/// <summary>Progress of a classifier trainer after one epoch, with the learning rate that epoch ran at.</summary>
public sealed record TrainingEpoch(int Epoch, int MaxEpochs, double TrainLoss, double ValidationLoss, double ValidationAccuracy, int BestEpoch,
    double LearningRate);
