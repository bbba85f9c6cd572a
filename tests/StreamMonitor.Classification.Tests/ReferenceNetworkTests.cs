using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Classification.Models;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Classification.Tests;

/// <summary>The published weights of the reference classifier, run through the fused CPU kernel and TorchSharp.</summary>
public sealed class ReferenceNetworkTests
{
    private static string Weights(string system) => Path.Combine(RepositoryPaths.MolStrucClassifier, system, $"weight_{system}.txt");

    [Fact]
    public void WeightFilesLoadWithTheLayoutTheirHeadersGive()
    {
        var urea = ReferenceWeightFile.Load(Weights("urea"));
        Assert.Equal([24, 25, 25, 7], urea.LayerSizes);
        Assert.False(urea.SoftmaxOutput);
        Assert.Equal(6.578002, urea.InputTranslation[0], 12);
        Assert.Equal(0.1667980, urea.InputStretch[0], 12);
        var nicotinamide = ReferenceWeightFile.Load(Weights("nicotinamide"));
        Assert.Equal([24, 25, 25, 10], nicotinamide.LayerSizes);
        Assert.True(nicotinamide.SoftmaxOutput);
    }

    [Fact]
    public void ATruncatedWeightFileIsAClearError()
    {
        using var temp = new TempDirectory();
        var cut = temp.File("cut.txt");
        var tokens = File.ReadAllText(Weights("urea")).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        File.WriteAllText(cut, string.Join(' ', tokens[..^10]));
        var e = Assert.Throws<FormatException>(() => ReferenceWeightFile.Load(cut));
        Assert.Contains("ends before layer 3", e.Message);
    }

    [Theory]
    [InlineData("urea", false)]
    [InlineData("nicotinamide", false)]
    [InlineData("urea", true)]
    [InlineData("nicotinamide", true)]
    public void OutputsEqualADirectEvaluationOfTheNetwork(string system, bool torchOnCpu)
    {
        var file = ReferenceWeightFile.Load(Weights(system));
        using var mlp = new MlpNetwork(file.ToParameters(), MlpPrecision.Double, torchOnCpu: torchOnCpu);
        Assert.Equal(torchOnCpu, mlp.Description.StartsWith("torch", StringComparison.Ordinal));
        var random = new Random(11);
        int rows = 301; // not a whole number of vectors of rows
        var features = new double[rows * 24];
        for (int i = 0; i < features.Length; i++)
            features[i] = (file.InputTranslation[i % 24] + (random.NextDouble() - 0.5) * 4 / file.InputStretch[i % 24]);
        var outputs = mlp.Forward(features);
        for (int r = 0; r < rows; r++)
        {
            var expected = Direct(file, features.AsSpan(r * 24, 24));
            for (int k = 0; k < file.OutputCount; k++)
                Assert.Equal(expected[k], outputs[r * file.OutputCount + k], 1e-12);
        }
        // Single precision is the default for throughput; it stays within 1e-5 of the double result.
        using var single = new MlpNetwork(file.ToParameters(), MlpPrecision.Single, torchOnCpu: torchOnCpu);
        var approximate = single.Forward(features);
        for (int i = 0; i < outputs.Length; i++) Assert.Equal(outputs[i], approximate[i], 1e-5);
    }

    [Theory]
    [InlineData(MlpPrecision.Single, 2e-6)]
    [InlineData(MlpPrecision.Double, 1e-13)]
    public void TheFusedKernelAgreesWithTorchSharpOnTheShippedLjModelOverManyChunks(MlpPrecision precision, double tolerance)
    {
        // The default atomic model, on more rows than one chunk of the parallel loop, with a ragged last vector.
        var parameters = Assert.IsType<MlpParameters>(ModelFile.Load(ModelCatalog.Resolve("lj")).Network);
        using var fused = new MlpNetwork(parameters, precision);
        using var torch = new MlpNetwork(parameters, precision, torchOnCpu: true);
        int inputs = parameters.InputCount, rows = 3 * 16384 + 5; // three and a bit of the parallel loop's chunks
        var random = new Random(5);
        var features = new double[rows * inputs];
        for (int i = 0; i < features.Length; i++)
            features[i] = parameters.InputTranslation[i % inputs] + (random.NextDouble() - 0.5) * 6 / parameters.InputStretch[i % inputs];
        var expected = torch.Forward(features);
        var outputs = fused.Forward(features);
        for (int i = 0; i < outputs.Length; i++) Assert.Equal(expected[i], outputs[i], tolerance);
        // Requests taken one after the other (the micro-batcher's) give each row the outputs it gets alone.
        ReadOnlyMemory<double>[] segments = [features.AsMemory(0, 3 * inputs), features.AsMemory(3 * inputs, 40_000 * inputs), features.AsMemory(40_003 * inputs)];
        var joined = new double[outputs.Length];
        fused.Forward(segments, joined);
        Assert.Equal(outputs, joined);
    }

    [Fact]
    public void BuffersGrowAndSurviveTheCallersDisposeScope()
    {
        var file = ReferenceWeightFile.Load(Weights("urea"));
        using var mlp = new MlpNetwork(file.ToParameters(), MlpPrecision.Double, torchOnCpu: true);
        var row = file.InputTranslation;
        var one = mlp.Forward(row);
        var many = Enumerable.Repeat(row, 1000).SelectMany(r => r).ToArray();
        using (TorchSharp.torch.NewDisposeScope())
        {
            var outputs = mlp.Forward(many); // grows the buffers inside someone else's scope
            for (int r = 0; r < 1000; r++)
                for (int k = 0; k < 7; k++) Assert.Equal(one[k], outputs[r * 7 + k], 1e-14); // BLAS blocks by batch size
        }
        Assert.Equal(one, mlp.Forward(row)); // the grown buffers outlived that scope
        Assert.Throws<ArgumentException>(() => mlp.Forward(new double[25]));
        Assert.Empty(mlp.Forward([]));
    }

    /// <summary>The network written out plainly in double precision, as nn.cpp evaluates it.</summary>
    private static double[] Direct(ReferenceWeightFile file, ReadOnlySpan<double> input)
    {
        var x = new double[input.Length];
        for (int i = 0; i < x.Length; i++) x[i] = (input[i] - file.InputTranslation[i]) * file.InputStretch[i];
        for (int layer = 0; layer < file.Weights.Count; layer++)
        {
            var w = file.Weights[layer];
            var y = new double[w.GetLength(0)];
            for (int o = 0; o < y.Length; o++)
            {
                double s = file.Biases[layer][o];
                for (int i = 0; i < x.Length; i++) s += w[o, i] * x[i];
                y[o] = s;
            }
            bool last = layer == file.Weights.Count - 1;
            if (last && file.SoftmaxOutput)
            {
                double max = y.Max(), sum = y.Sum(v => Math.Exp(v - max));
                for (int o = 0; o < y.Length; o++) y[o] = Math.Exp(y[o] - max) / sum;
            }
            else
            {
                for (int o = 0; o < y.Length; o++) y[o] = 1 / (1 + Math.Exp(-y[o]));
            }
            x = y;
        }
        return x;
    }

    [Theory]
    [InlineData("urea", "urea-2024")]
    [InlineData("nicotinamide", "nicotinamide-2024")]
    public void ShippedPresetsHoldThePublishedNetworksExactly(string system, string model)
    {
        var published = ReferenceWeightFile.Load(Weights(system)).ToParameters();
        var file = ModelFile.Load(ModelCatalog.Resolve(model));
        var shipped = Assert.IsType<MlpParameters>(file.Network);
        Assert.Equal(published.LayerSizes, shipped.LayerSizes);
        Assert.Equal(published.Output, shipped.Output);
        Assert.Equal(published.InputTranslation, shipped.InputTranslation);
        Assert.Equal(published.InputStretch, shipped.InputStretch);
        for (int l = 0; l < published.Layers.Count; l++)
        {
            Assert.Equal(published.Layers[l].Weights, shipped.Layers[l].Weights);
            Assert.Equal(published.Layers[l].Bias, shipped.Layers[l].Bias);
        }
        Assert.Equal(system, ((StreamMonitor.Classification.Features.MolecularFeatureSpec)file.Features).Preset);
    }

    [Fact]
    public void TheNicotinamideCrystalGetsOutputTen()
    {
        // The data README: with the C6/C3/O–N roles the reference program gives output 10 to all 80 molecules.
        using var reader = TrajectoryReader.Open(Path.Combine(RepositoryPaths.MolStrucClassifier, "nicotinamide", "nico_testtraj.dump"));
        using var frame = reader.Read()!;
        using var model = ClassifierModel.Load("nicotinamide-2024");
        var (rows, predictions) = model.Classify(frame);
        Assert.Equal(80, rows.Count);
        Assert.All(predictions.Labels, label => Assert.Equal("out10", model.Classes[label]));
    }

    [Fact]
    public void AUreaFormICrystalIsClassifiedAsOutputOne()
    {
        // The data README: the reference program gives output 1 to 92–99% of a form I crystal's molecules.
        using var reader = TrajectoryReader.Open(Path.Combine(RepositoryPaths.MolStrucClassifier, "urea", "form-I-3456atoms.dump"));
        using var frame = reader.Read()!;
        var features = new MolecularSymmetryFunctions(MolecularSymmetryFunctionParameters.Urea).Compute(frame);
        using var model = new ClassifierModel(ModelFile.Load(ModelCatalog.Resolve("urea-2024")));
        var classes = model.Predict(features.Features).Labels;
        Assert.Equal(432, classes.Length);
        Assert.Equal("I", model.Classes[0]);
        double formI = classes.Count(c => c == 0) / (double)classes.Length;
        Assert.True(formI >= 0.92, $"only {formI:P1} of the form I crystal classified as output 1");
    }

    [Fact]
    public void TheIlgpuEngineGivesTheSameVerdictsAsTorchSharp()
    {
        using var reader = TrajectoryReader.Open(Path.Combine(RepositoryPaths.MolStrucClassifier, "urea", "form-I-3456atoms.dump"));
        using var frame = reader.Read()!;
        var file = ModelFile.Load(ModelCatalog.Resolve("urea-2024"));
        using var torch = new ClassifierModel(file, MlpPrecision.Double);
        using var ilgpu = new ClassifierModel(file, engine: ClassifierEngine.Ilgpu);
        Assert.StartsWith("ilgpu", ilgpu.EngineDescription);
        var (torchRows, torchClasses) = torch.Classify(frame);
        var (ilgpuRows, ilgpuClasses) = ilgpu.Classify(frame);
        Assert.Equal(torchRows.Ids, ilgpuRows.Ids);
        Assert.Equal(torchClasses.Labels, ilgpuClasses.Labels);
        for (int i = 0; i < torchClasses.Probabilities.Length; i++)
            Assert.Equal(torchClasses.Probabilities[i], ilgpuClasses.Probabilities[i], 1e-9);
    }
}
