using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Classification.Gpu;
using StreamMonitor.Classification.Models;
using StreamMonitor.Ingest;
using StreamMonitor.TestSupport;

namespace StreamMonitor.Classification.Tests;

/// <summary>
/// The ILGPU engines against the CPU ones they stand in for, on ILGPU's CPU accelerator (forced even where a GPU exists,
/// so results do not depend on the machine). The kernels are also compiled for CUDA, which needs no GPU, so that a
/// construct the PTX backend cannot compile fails here rather than on the first GPU run.
/// </summary>
public sealed class IlgpuTests(IlgpuTests.CpuDevice cpu) : IClassFixture<IlgpuTests.CpuDevice>
{
    /// <summary>One CPU accelerator for the whole class: creating contexts and compiling kernels is the slow part.</summary>
    public sealed class CpuDevice : IDisposable
    {
        public GpuDevice Device { get; } = GpuDevice.OpenBest(preferCpu: true);

        public void Dispose() => Device.Dispose();
    }

    private Accelerator Accelerator => cpu.Device.Accelerator;

    private static string Reference(params string[] parts) => Path.Combine([RepositoryPaths.MolStrucClassifier, .. parts]);

    private static string Weights(string system) => Reference(system, $"weight_{system}.txt");

    [Fact]
    public void PreferringTheCpuGivesIlgpusCpuAccelerator()
    {
        Assert.False(cpu.Device.IsCuda);
        Assert.Equal(AcceleratorType.CPU, Accelerator.AcceleratorType);
        Assert.False(string.IsNullOrEmpty(cpu.Device.Name));
    }

    [Fact]
    public void KernelExpIsWithinTwoUlpOfMathExp()
    {
        var random = new Random(3);
        var xs = new List<double> { 0, -0.0, 1, -1, 1e-300, -1e-300, 0.5 * Math.Log(2), -0.5 * Math.Log(2), 709.78, -708.3, -745.1 };
        for (int k = 0; k < 20_000; k++) xs.Add(-40 + 80 * random.NextDouble());
        for (int k = 0; k < 20_000; k++) xs.Add(-745 + 1454 * random.NextDouble());
        foreach (double x in xs)
        {
            double expected = Math.Exp(x), actual = KernelMath.Exp(x);
            // Relative to the result, except in the subnormal range, where an ulp is the smallest subnormal.
            double ulp = Math.Max(Math.BitIncrement(expected) - expected, double.Epsilon);
            Assert.True(Math.Abs(actual - expected) <= 2 * ulp, $"exp({x:R}) = {actual:R}, Math.Exp gives {expected:R}");
        }
        Assert.Equal(double.PositiveInfinity, KernelMath.Exp(710));
        Assert.Equal(double.PositiveInfinity, KernelMath.Exp(double.PositiveInfinity));
        Assert.Equal(0, KernelMath.Exp(-746));
        Assert.Equal(0, KernelMath.Exp(double.NegativeInfinity));
        Assert.True(double.IsNaN(KernelMath.Exp(double.NaN)));
    }

    [Fact]
    public void KernelCosIsWithinAnUlpOfOneOfMathCos()
    {
        var random = new Random(5);
        var xs = new List<double> { 0, Math.PI / 4, Math.PI / 2, Math.PI, 3 * Math.PI / 2, 1e-8, -2.5, KernelMath.CosArgumentLimit };
        for (int k = 0; k < 20_000; k++) xs.Add(-150 + 300 * random.NextDouble());
        for (int k = 0; k < 2_000; k++) xs.Add(KernelMath.CosArgumentLimit * (2 * random.NextDouble() - 1));
        foreach (double x in xs)
        {
            // Absolute (an ulp of 1): near a zero of cos the value is tiny and the argument's last bit decides its relative error.
            double expected = Math.Cos(x), actual = KernelMath.Cos(x);
            Assert.True(Math.Abs(actual - expected) <= 2.3e-16, $"cos({x:R}) = {actual:R}, Math.Cos gives {expected:R}");
        }
        Assert.True(double.IsNaN(KernelMath.Cos(2 * KernelMath.CosArgumentLimit)));
        Assert.True(double.IsNaN(KernelMath.Cos(double.PositiveInfinity)));
        Assert.True(double.IsNaN(KernelMath.Cos(double.NaN)));
    }

    /// <summary>Urea: sigmoid outputs; nicotinamide: softmax.</summary>
    [Theory]
    [InlineData("urea")]
    [InlineData("nicotinamide")]
    public void IlgpuMlpEqualsTorchSharpAcrossGrowingBatches(string system)
    {
        var file = ReferenceWeightFile.Load(Weights(system));
        using var torch = new MlpNetwork(file.ToParameters(), MlpPrecision.Double, torchOnCpu: true);
        using var gpu = new IlgpuMlp(file.ToParameters(), Accelerator);
        Assert.Equal(file.InputCount, gpu.InputCount);
        Assert.Equal(file.OutputCount, gpu.OutputCount);
        Assert.Equal(0, gpu.RowCapacity);
        var random = new Random(17);
        // One row, a larger batch (the arrays grow), a smaller one (they do not), a much larger one (they grow again).
        foreach (var (rows, capacity) in new[] { (1, 1), (300, 300), (120, 300), (1000, 1000) })
        {
            var features = RandomRows(file, rows, random);
            var expected = torch.Forward(features);
            var actual = gpu.Forward(features);
            Assert.Equal(capacity, gpu.RowCapacity);
            Assert.Equal(expected.Length, actual.Length);
            for (int k = 0; k < expected.Length; k++)
                Assert.True(Math.Abs(actual[k] - expected[k]) <= 1e-10, $"{rows} rows, output {k}: {actual[k]:R} vs TorchSharp {expected[k]:R}");
        }
        if (file.SoftmaxOutput)
        {
            var outputs = gpu.Forward(RandomRows(file, 5, random));
            for (int r = 0; r < 5; r++)
                Assert.Equal(1.0, outputs.AsSpan(r * file.OutputCount, file.OutputCount).ToArray().Sum(), 12);
        }
    }

    [Fact]
    public void IlgpuMlpRefusesRowsOfTheWrongWidthAndWorksAfterwards()
    {
        var file = ReferenceWeightFile.Load(Weights("urea"));
        using var gpu = new IlgpuMlp(file.ToParameters(), Accelerator);
        var e = Assert.Throws<ArgumentException>(() => gpu.Forward(new double[file.InputCount * 3 + 5]));
        Assert.Contains("whole number of rows", e.Message);
        Assert.Empty(gpu.Forward([]));
        Assert.Equal(2 * file.OutputCount, gpu.Forward(RandomRows(file, 2, new Random(1))).Length);
        gpu.Dispose();
        Assert.Throws<ObjectDisposedException>(() => gpu.Forward(new double[file.InputCount]));
    }

    /// <summary>Urea form I, both frames: an orthogonal cell, 432 molecules.</summary>
    [Fact]
    public void IlgpuSymmetryFunctionsEqualTheCpuOnTheUreaCrystal()
    {
        var parameters = MolecularSymmetryFunctionParameters.Urea;
        using var reader = TrajectoryReader.Open(Reference("urea", "form-I-3456atoms.dump"));
        var frames = reader.ReadAll().ToList();
        try
        {
            Assert.Equal(2, frames.Count);
            using var gpu = new IlgpuSymmetryFunctions(parameters, Accelerator);
            foreach (var frame in frames)
                AssertSameFeatures(new MolecularSymmetryFunctions(parameters).Compute(frame), gpu.Compute(frame), $"urea frame {frame.Index}");
        }
        finally
        {
            foreach (var f in frames) f.Dispose();
        }
    }

    /// <summary>
    /// Nicotinamide in its triclinic cell, where the lattice shifts mix the cell vectors; and with a cutoff beyond half
    /// the cell, where a molecule meets neighbours in several images at once.
    /// </summary>
    [Fact]
    public void IlgpuSymmetryFunctionsEqualTheCpuInATiltedCellAndWithSeveralImages()
    {
        using var reader = TrajectoryReader.Open(Reference("nicotinamide", "nico_testtraj.dump"));
        using var frame = reader.Read()!;
        var preset = MolecularSymmetryFunctionParameters.Nicotinamide;
        using (var gpu = new IlgpuSymmetryFunctions(preset, Accelerator))
            AssertSameFeatures(new MolecularSymmetryFunctions(preset).Compute(frame), gpu.Compute(frame), "nicotinamide");

        var wide = new MolecularSymmetryFunctionParameters("wide", preset.Roles, 11.5, 12.0, preset.Functions);
        using (var refusing = new IlgpuSymmetryFunctions(wide, Accelerator))
            Assert.Contains("larger than half the box", Assert.Throws<ArgumentException>(() => refusing.Compute(frame)).Message);
        using var images = new IlgpuSymmetryFunctions(wide, Accelerator, allowMultipleImages: true);
        AssertSameFeatures(new MolecularSymmetryFunctions(wide, allowMultipleImages: true).Compute(frame), images.Compute(frame), "nicotinamide, r_max 12");
    }

    [Fact]
    public void ACosineTooWideForTheKernelIsRefused()
    {
        var preset = MolecularSymmetryFunctionParameters.Urea;
        var functions = preset.Functions.Append(SymmetryFunction.RadialCosine(1e6)).ToArray();
        var parameters = new MolecularSymmetryFunctionParameters("wide kappa", preset.Roles, preset.CutoffMin, preset.CutoffMax, functions);
        var e = Assert.Throws<ArgumentException>(() => new IlgpuSymmetryFunctions(parameters, Accelerator));
        Assert.Contains("too large for the GPU cosine", e.Message);
    }

    /// <summary>
    /// Every kernel of an engine (a static method taking an Index1D first); the PTX backend runs without a GPU, and
    /// Math.Exp, Math.Cos or Math.Floor in a kernel would fail here (no double intrinsic).
    /// </summary>
    [Theory]
    [InlineData("IlgpuMlp", 1)]
    [InlineData("IlgpuSymmetryFunctions", 1)]
    [InlineData("IlgpuNeighborSearch", 4)]
    [InlineData("IlgpuSteinhardt", 2)]
    [InlineData("DeviceScan", 3)]
    public void IlgpuKernelsCompileForCuda(string engine, int kernelCount)
    {
        var type = typeof(IlgpuMlp).Assembly.GetType($"{typeof(IlgpuMlp).Namespace}.{engine}");
        Assert.NotNull(type);
        var kernels = type.GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(Index1D)).ToList();
        Assert.Equal(kernelCount, kernels.Count);
        using var context = Context.Create(builder => builder.DefaultCPU());
        using var backend = new PTXBackend(context, CudaArchitecture.SM_70, CudaInstructionSet.ISA_70, nvvmAPI: null!);
        foreach (var kernel in kernels)
        {
            var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel), KernelSpecialization.Empty);
            Assert.Contains(".entry", compiled.PTXAssembly);
        }
    }

    private static double[] RandomRows(ReferenceWeightFile file, int rows, Random random)
    {
        int n = file.InputCount;
        var features = new double[rows * n];
        for (int i = 0; i < features.Length; i++)
            features[i] = file.InputTranslation[i % n] + (random.NextDouble() - 0.5) * 4 / file.InputStretch[i % n];
        return features;
    }

    private static void AssertSameFeatures(MolecularSymmetryFunctionResult expected, MolecularSymmetryFunctionResult actual, string what)
    {
        Assert.Equal(expected.MoleculeIds.ToArray(), actual.MoleculeIds.ToArray());
        Assert.Equal(expected.CenterAtoms.ToArray(), actual.CenterAtoms.ToArray());
        Assert.Equal(expected.NeighborCounts.ToArray(), actual.NeighborCounts.ToArray());
        Assert.Equal(expected.FeatureCount, actual.FeatureCount);
        for (int m = 0; m < expected.Count; m++)
            for (int f = 0; f < expected.FeatureCount; f++)
            {
                double e = expected[m, f], a = actual[m, f];
                // Relative, with a floor for sums of cosines that nearly cancel.
                Assert.True(Math.Abs(a - e) <= 1e-9 * Math.Max(Math.Abs(e), 1e-3),
                    $"{what}: molecule {expected.MoleculeIds[m]} feature {f + 1}: {a:R} on ILGPU, {e:R} on the CPU");
            }
    }
}
