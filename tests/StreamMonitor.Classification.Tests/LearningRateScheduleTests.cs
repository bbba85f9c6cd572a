using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Training;

namespace StreamMonitor.Classification.Tests;

/// <summary>The learning rate schedules of the trainers, seen through their progress and the model file.</summary>
public sealed class LearningRateScheduleTests
{
    private static Dataset Blobs()
    {
        var spec = AtomicFeatureSpec.LennardJones;
        var random = new Random(3);
        int rows = 120;
        var labels = Enumerable.Range(0, rows).Select(r => r % 2).ToArray();
        var values = Enumerable.Range(0, rows * spec.Width).Select(i => random.NextDouble() + 2 * labels[i / spec.Width]).ToArray();
        return new Dataset(spec, ["crystal", "liquid"], ["blobs"], values, labels, new int[rows]);
    }

    private static (List<TrainingEpoch> Epochs, Classification.Models.ModelFile Model) Train(LearningRateSchedule schedule)
    {
        var epochs = new List<TrainingEpoch>();
        var options = new TrainingOptions { Hidden = [4], MaxEpochs = 8, Patience = 8, Schedule = schedule, LearningRate = 0.01 };
        var model = new MlpTrainer(options).Train(Blobs(), "blobs", epochs.Add);
        return (epochs, model);
    }

    [Fact]
    public void CosineDecaysFromTheRateAlongHalfACosineOverTheEpochLimit()
    {
        var (epochs, model) = Train(LearningRateSchedule.Cosine);
        Assert.Equal(8, epochs.Count);
        Assert.Equal(0.01, epochs[0].LearningRate, 12);
        for (int e = 0; e < epochs.Count; e++)
        {
            double expected = 0.0001 + (0.01 - 0.0001) * (1 + Math.Cos(Math.PI * e / 8)) / 2;
            Assert.Equal(expected, epochs[e].LearningRate, 9);
        }
        Assert.Equal("cosine", model.Training.Schedule);
    }

    [Fact]
    public void ConstantKeepsTheRateAndRecordsNoSchedule()
    {
        var (epochs, model) = Train(LearningRateSchedule.Constant);
        Assert.All(epochs, e => Assert.Equal(0.01, e.LearningRate, 12));
        Assert.Null(model.Training.Schedule);
        Assert.Equal(0.01, model.Training.LearningRate);
    }
}
