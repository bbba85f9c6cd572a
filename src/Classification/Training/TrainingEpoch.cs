namespace StreamMonitor.Classification.Training;

/// <summary>Progress of <see cref="MlpTrainer"/> after one epoch.</summary>
public sealed record TrainingEpoch(int Epoch, int MaxEpochs, double TrainLoss, double ValidationLoss, double ValidationAccuracy, int BestEpoch);
