using System.Numerics;
using StreamMonitor.Classification.Models;

namespace StreamMonitor.Classification.Tests;

public sealed class FusedMlpTests
{
    [Fact]
    public void SinglePrecisionExpIsWithinTwoUnitsInTheLastPlaceAcrossItsRange()
    {
        int lanes = Vector<float>.Count;
        var values = new float[lanes];
        double worst = 0;
        for (double start = -87.0; start < 88.0; start += 0.0137 * lanes)
        {
            for (int l = 0; l < lanes; l++) values[l] = (float)(start + 0.0137 * l);
            var e = FusedMlp.ExpSingle(new Vector<float>(values));
            for (int l = 0; l < lanes; l++)
            {
                double exact = Math.Exp(values[l]);
                double ulp = (double)MathF.BitIncrement((float)exact) - (float)exact;
                worst = Math.Max(worst, Math.Abs(e[l] - exact) / ulp);
            }
        }
        Assert.True(worst <= 2, $"worst error {worst:F2} units in the last place");
        // Far beyond the range, the sigmoid's limits: a tiny positive number and a huge finite one.
        var extremes = FusedMlp.ExpSingle(new Vector<float>(-1000f));
        Assert.InRange(extremes[0], 0f, 1e-37f);
        Assert.True(float.IsFinite(FusedMlp.ExpSingle(new Vector<float>(1000f))[0]));
    }

    [Theory]
    [InlineData(MlpPrecision.Single)]
    [InlineData(MlpPrecision.Double)]
    public void ARowWithANaNFeatureGetsNaNOutputsAndItsNeighboursTheirOwn(MlpPrecision precision)
    {
        var parameters = Assert.IsType<MlpParameters>(ModelFile.Load(ModelCatalog.Resolve("lj")).Network);
        using var fused = new MlpNetwork(parameters, precision);
        using var torch = new MlpNetwork(parameters, precision, torchOnCpu: true);
        int inputs = parameters.InputCount, rows = 20;
        var features = new double[rows * inputs];
        for (int i = 0; i < features.Length; i++) features[i] = parameters.InputTranslation[i % inputs] + 0.01 * (i % 13);
        features[5 * inputs + 2] = double.NaN;
        var outputs = fused.Forward(features);
        var expected = torch.Forward(features);
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < parameters.OutputCount; k++)
            {
                double value = outputs[r * parameters.OutputCount + k];
                if (r == 5) Assert.True(double.IsNaN(value), $"row 5 output {k} is {value}");
                else Assert.Equal(expected[r * parameters.OutputCount + k], value, 2e-6);
            }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ADisposedNetworkRefusesToRun(bool torchOnCpu)
    {
        var parameters = Assert.IsType<MlpParameters>(ModelFile.Load(ModelCatalog.Resolve("lj")).Network);
        var network = new MlpNetwork(parameters, torchOnCpu: torchOnCpu);
        var row = parameters.InputTranslation;
        Assert.Equal(parameters.OutputCount, network.Forward(row).Length);
        network.Dispose();
        Assert.Throws<ObjectDisposedException>(() => network.Forward(row));
        Assert.Throws<ObjectDisposedException>(() => network.Forward([row.AsMemory()], new double[parameters.OutputCount]));
    }
}
