using StreamMonitor.Classification.Features;
using StreamMonitor.Core;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// A loaded <see cref="ModelFile"/> ready to classify: its featuriser and its network. Thread-safe; the network
/// serialises forward passes, so concurrent callers should share it through a <see cref="Batching.MicroBatcher"/>.
/// </summary>
public sealed class ClassifierModel : IDisposable
{
    public const int Undefined = -1;
    public const string UndefinedName = "undefined";

    /// <param name="device">Where the network runs; default <see cref="TorchDevices.Best"/> (CUDA when available).</param>
    public ClassifierModel(ModelFile file, MlpPrecision precision = MlpPrecision.Single, TorchSharp.torch.Device? device = null)
    {
        File = file;
        Network = new MlpNetwork(file.Network, precision, device ?? TorchDevices.Best());
        Featurizer = file.Features.CreateFeaturizer();
    }

    public ModelFile File { get; }
    public MlpNetwork Network { get; }
    public IFeaturizer Featurizer { get; }
    public IReadOnlyList<string> Classes => File.Classes;

    /// <summary>Loads a shipped model by name (<see cref="ModelCatalog"/>) or a model file by path.</summary>
    public static ClassifierModel Load(string nameOrPath, MlpPrecision precision = MlpPrecision.Single) =>
        new(ModelFile.Load(ModelCatalog.Resolve(nameOrPath)), precision);

    /// <summary>Outputs and classes for rows of features (rows × inputs, row-major).</summary>
    public ClassPredictions Predict(ReadOnlySpan<double> features) => Decide(Network.Forward(features), null);

    /// <summary>Features and classes of every atom or molecule of a frame; rows the featuriser cannot define are undefined.</summary>
    public (FeatureRows Rows, ClassPredictions Predictions) Classify(Frame frame)
    {
        var rows = Featurizer.Compute(frame);
        return (rows, Decide(Network.Forward(rows.Values), rows.Defined));
    }

    /// <summary>The class of each row from the network's outputs: the one output above the threshold, if exactly one is.</summary>
    public ClassPredictions Decide(double[] outputs, bool[]? defined)
    {
        int width = Classes.Count;
        var labels = new int[outputs.Length / width];
        for (int r = 0; r < labels.Length; r++)
        {
            int winner = Undefined, above = 0;
            for (int k = 0; k < width; k++)
                if (outputs[r * width + k] > File.Threshold) { winner = k; above++; }
            labels[r] = above == 1 && (defined is null || defined[r]) ? winner : Undefined;
        }
        return new ClassPredictions(Classes, outputs, labels);
    }

    public void Dispose() => Network.Dispose();
}
