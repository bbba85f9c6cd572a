using ILGPU;
using ILGPU.Runtime;
using StreamMonitor.Classification.Models;

namespace StreamMonitor.Classification.Gpu;

/// <summary>
/// A multilayer perceptron (<see cref="MlpParameters"/>) evaluated by an ILGPU kernel in double precision, so that its
/// outputs equal <see cref="Models.MlpNetwork"/>'s (TorchSharp, double precision) to about 1e-12 on any accelerator.
/// </summary>
/// <remarks>
/// <para>
/// One thread per row: the networks are tiny (24 → 25 → 25 → 7), so a row's whole forward pass fits one thread and the
/// parallelism comes from the rows. Each thread keeps its layer values in a device scratch array laid out value-major
/// (value k of row r at k · capacity + r), so that neighbouring threads touch neighbouring addresses on a GPU.
/// </para>
/// <para>
/// The parameters go to the device once; the input, output and scratch arrays are allocated by the first call and
/// grown (doubling) only when a larger batch comes. Calls are serialised, as they share those arrays; the kernel is
/// compiled by the constructor.
/// </para>
/// </remarks>
public sealed class IlgpuMlp : INetwork
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<int>, Shape> _kernel;
    private readonly DeviceBuffer<double> _parameters; // translation, stretch, then each layer's weights and biases
    private readonly DeviceBuffer<int> _layout;        // per layer: inputs, outputs, weight offset, bias offset
    private readonly DeviceBuffer<double> _input;
    private readonly DeviceBuffer<double> _output;
    private readonly DeviceBuffer<double> _scratch;
    private readonly int _layers;
    private readonly int _maxWidth;
    private readonly bool _softmax;
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Compiles the kernel and uploads the parameters; the accelerator stays the caller's.</summary>
    public IlgpuMlp(MlpParameters parameters, Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(accelerator);
        _accelerator = accelerator;
        InputCount = parameters.InputCount;
        OutputCount = parameters.OutputCount;
        _layers = parameters.Layers.Count;
        _maxWidth = parameters.LayerSizes.Max();
        _softmax = parameters.Output == OutputActivation.Softmax;

        var values = new List<double>(parameters.InputTranslation);
        values.AddRange(parameters.InputStretch);
        var layout = new int[4 * _layers];
        for (int l = 0; l < _layers; l++)
        {
            var layer = parameters.Layers[l];
            layout[4 * l] = layer.Inputs;
            layout[4 * l + 1] = layer.Outputs;
            layout[4 * l + 2] = values.Count;
            values.AddRange(layer.Weights);
            layout[4 * l + 3] = values.Count;
            values.AddRange(layer.Bias);
        }

        _parameters = new DeviceBuffer<double>(accelerator);
        _layout = new DeviceBuffer<int>(accelerator);
        _input = new DeviceBuffer<double>(accelerator);
        _output = new DeviceBuffer<double>(accelerator);
        _scratch = new DeviceBuffer<double>(accelerator);
        try
        {
            _parameters.Upload(values.ToArray());
            _layout.Upload(layout);
            _kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>,
                ArrayView<double>, ArrayView<int>, Shape>(Kernel);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int InputCount { get; }

    public int OutputCount { get; }

    /// <summary>Rows the device arrays hold now: 0 before the first call, then the largest batch so far or more.</summary>
    public int RowCapacity { get; private set; }

    /// <summary>Outputs for each row of <paramref name="features"/> (rows × <see cref="InputCount"/>, row-major), rows × <see cref="OutputCount"/>.</summary>
    public void Forward(ReadOnlySpan<double> features, Span<double> outputs)
    {
        var result = Forward(features);
        if (outputs.Length < result.Length) throw new ArgumentException($"{result.Length} outputs do not fit in {outputs.Length}", nameof(outputs));
        result.CopyTo(outputs);
    }

    public double[] Forward(ReadOnlySpan<double> features)
    {
        int rows = NetworkRows.Of(this, features.Length);
        if (rows == 0) return [];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (rows > RowCapacity) RowCapacity = Math.Max(rows, 2 * RowCapacity);
            var input = _input.Upload(features);
            var output = _output.Reserve((long)RowCapacity * OutputCount);
            var scratch = _scratch.Reserve(2L * _maxWidth * RowCapacity);
            _kernel(rows, input, output, scratch, _parameters.View, _layout.View,
                new Shape(InputCount, _layers, _maxWidth, RowCapacity, _softmax ? 1 : 0));
            _accelerator.Synchronize();
            var result = new double[rows * OutputCount];
            _output.Download(result);
            return result;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _parameters.Dispose();
            _layout.Dispose();
            _input.Dispose();
            _output.Dispose();
            _scratch.Dispose();
        }
    }

    /// <summary>The sizes a kernel needs besides the arrays (Softmax: 1 for a softmax output layer).</summary>
    internal readonly struct Shape(int inputs, int layers, int maxWidth, int rowCapacity, int softmax)
    {
        public readonly int Inputs = inputs;
        public readonly int Layers = layers;
        public readonly int MaxWidth = maxWidth;
        public readonly int RowCapacity = rowCapacity;
        public readonly int Softmax = softmax;
    }

    /// <summary>One row's forward pass: scaling, dense layers with sigmoid, then sigmoid or softmax outputs.</summary>
    private static void Kernel(Index1D index, ArrayView<double> input, ArrayView<double> output, ArrayView<double> scratch,
        ArrayView<double> parameters, ArrayView<int> layout, Shape shape)
    {
        int row = index;
        long stride = shape.RowCapacity;
        int n = shape.Inputs;
        // The values of the current layer start at scratch row `current`, those of the next at `next`.
        int current = 0, next = shape.MaxWidth;
        for (int i = 0; i < n; i++)
            scratch[i * stride + row] = (input[(long)row * n + i] - parameters[i]) * parameters[n + i];

        int width = n;
        for (int l = 0; l < shape.Layers; l++)
        {
            int inputs = layout[4 * l], outputs = layout[4 * l + 1], weights = layout[4 * l + 2], bias = layout[4 * l + 3];
            bool linear = l == shape.Layers - 1 && shape.Softmax != 0; // softmax is applied below, over all outputs
            for (int o = 0; o < outputs; o++)
            {
                double sum = parameters[bias + o];
                int w = weights + o * inputs;
                for (int i = 0; i < inputs; i++)
                    sum += parameters[w + i] * scratch[(current + i) * stride + row];
                scratch[(next + o) * stride + row] = linear ? sum : 1 / (1 + KernelMath.Exp(-sum));
            }
            (current, next) = (next, current);
            width = outputs;
        }

        long first = (long)row * width;
        if (shape.Softmax == 0)
        {
            for (int o = 0; o < width; o++)
                output[first + o] = scratch[(current + o) * stride + row];
            return;
        }
        double max = scratch[current * stride + row];
        for (int o = 1; o < width; o++)
            max = Math.Max(max, scratch[(current + o) * stride + row]);
        double total = 0;
        for (int o = 0; o < width; o++)
        {
            double e = KernelMath.Exp(scratch[(current + o) * stride + row] - max);
            output[first + o] = e;
            total += e;
        }
        for (int o = 0; o < width; o++)
            output[first + o] /= total;
    }
}
