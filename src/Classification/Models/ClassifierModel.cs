using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Classification.Features;
using StreamMonitor.Classification.Gpu;
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

    /// <param name="precision">Of the network (the fused CPU kernel or TorchSharp); ILGPU kernels always use double precision.</param>
    /// <param name="device">
    /// Where TorchSharp runs; default <see cref="TorchDevices.Best"/> (CUDA when available). An MLP with no GPU runs in the
    /// fused CPU kernel, without TorchSharp.
    /// </param>
    /// <param name="atomRoles">How the trajectories name the atoms of a molecular model's molecule (<c>--roles</c>); null reads it from each frame.</param>
    public ClassifierModel(ModelFile file, MlpPrecision precision = MlpPrecision.Single, TorchSharp.torch.Device? device = null,
        ClassifierEngine engine = ClassifierEngine.Torch, AtomRoleMapping? atomRoles = null)
    {
        File = file;
        Features = file.Features.WithAtomRoles(atomRoles);
        Engine = engine;
        if (engine == ClassifierEngine.Ilgpu)
        {
            if (file.Network is not MlpParameters mlp)
                throw new ArgumentException($"the ilgpu engine runs {MlpParameters.ArchName} networks; model '{file.Name}' is {file.Network.Arch} (use the torch engine)");
            _gpu = GpuDevice.OpenBest();
            Network = new IlgpuMlp(mlp, _gpu.Accelerator);
            Featurizer = Features switch
            {
                MolecularFeatureSpec molecular => new IlgpuMolecularFeaturizer(molecular, _gpu.Accelerator),
                AtomicFeatureSpec atomic => new IlgpuAtomicFeaturizer(atomic, _gpu.Accelerator),
                _ => Features.CreateFeaturizer(),
            };
        }
        else
        {
            Network = file.Network switch
            {
                MlpParameters mlp => new MlpNetwork(mlp, precision, device ?? TorchDevices.Gpu()),
                GnnParameters gnn => new GnnNetwork(gnn, precision, device ?? TorchDevices.Best()),
                var other => throw new ArgumentException($"model '{file.Name}': no engine runs {other.Arch} networks"),
            };
            Featurizer = Features.CreateFeaturizer();
        }
    }

    private readonly GpuDevice? _gpu;

    public ModelFile File { get; }

    /// <summary>The file's features with the atom roles the model was loaded with.</summary>
    public FeatureSpec Features { get; }
    public ClassifierEngine Engine { get; }

    /// <summary>"cpu (fused, 2 cores)", "torch cpu (2 threads)", "ilgpu NVIDIA H100 (Cuda)", for logs.</summary>
    public string EngineDescription => _gpu is { } gpu ? $"ilgpu {gpu}"
        : Network is GnnNetwork gnn ? $"torch {TorchDevices.Describe(gnn.Device)}" : ((MlpNetwork)Network).Description;

    public INetwork Network { get; }
    public IFeaturizer Featurizer { get; }
    public IReadOnlyList<string> Classes => File.Classes;

    /// <summary>Loads a shipped model by name (<see cref="ModelCatalog"/>) or a model file by path.</summary>
    public static ClassifierModel Load(string nameOrPath, MlpPrecision precision = MlpPrecision.Single, ClassifierEngine engine = ClassifierEngine.Torch,
        AtomRoleMapping? atomRoles = null) =>
        new(ModelFile.Load(ModelCatalog.Resolve(nameOrPath)), precision, engine: engine, atomRoles: atomRoles);

    /// <summary>Outputs and classes for rows of features (rows × inputs, row-major).</summary>
    public ClassPredictions Predict(ReadOnlySpan<double> features) => Decide(Network.Forward(features), null);

    /// <summary>Features and classes of every atom or molecule of a frame; rows the featuriser cannot define are undefined.</summary>
    public (FeatureRows Rows, ClassPredictions Predictions) Classify(Frame frame)
    {
        var rows = Featurizer.Compute(frame);
        return (rows, Predict(rows));
    }

    /// <summary>Classes of featurised rows; rows the featuriser could not define are undefined.</summary>
    public ClassPredictions Predict(FeatureRows rows) => Decide(Network.Forward(rows.Values), rows.Defined);

    /// <summary>The class of each row from the network's outputs: the one output above the threshold, if exactly one is.</summary>
    public ClassPredictions Decide(double[] outputs, bool[]? defined)
    {
        int width = Classes.Count;
        double threshold = File.Threshold;
        var labels = new int[outputs.Length / width];
        RowChunks.For(labels.Length, (first, end) =>
        {
            for (int r = first; r < end; r++)
            {
                int winner = Undefined, above = 0;
                for (int k = 0; k < width; k++)
                    if (outputs[r * width + k] > threshold) { winner = k; above++; }
                labels[r] = above == 1 && (defined is null || defined[r]) ? winner : Undefined;
            }
        });
        return new ClassPredictions(Classes, outputs, labels);
    }

    public void Dispose()
    {
        Network.Dispose();
        (Featurizer as IDisposable)?.Dispose();
        _gpu?.Dispose();
    }
}
