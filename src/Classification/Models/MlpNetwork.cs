using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// Inference for an <see cref="MlpParameters"/> network in TorchSharp: input scaling, dense layers with sigmoid between
/// them, sigmoid or softmax outputs.
/// </summary>
/// <remarks>
/// Per-call cost matters more than arithmetic for these small networks (24 → 25 → 25 → 7 is ~1,400 multiply-adds per
/// row), so every intermediate lives in buffers allocated once per batch capacity and updated in place
/// (<c>addmm_</c> into a bias-filled buffer, <c>sigmoid_</c>): allocating fresh 400 kB tensors per layer made the
/// forward pass three times slower, from page faults in the allocator. Inputs are written straight into the input
/// tensor's memory and outputs read straight out of it. Softmax is applied while copying out (seven values a row).
/// Calls are serialised by a lock: the buffers are the instance's.
/// </remarks>
public sealed class MlpNetwork : INetwork
{
    private readonly object _gate = new();
    private readonly MlpParameters _parameters;
    private readonly ScalarType _dtype;
    private readonly Tensor _translation;
    private readonly Tensor _stretch;
    private readonly Tensor[] _weightsT; // in × out: addmm_ multiplies rows by it directly
    private readonly Tensor[] _biases;
    private Tensor[] _buffers = []; // [0] input, [1..] layer outputs
    private Tensor[] _biasViews = [];
    private int _capacity;
    private bool _disposed;

    public MlpNetwork(MlpParameters parameters, MlpPrecision precision = MlpPrecision.Single, Device? device = null)
    {
        _parameters = parameters;
        Precision = precision;
        Device = device ?? CPU;
        _dtype = precision == MlpPrecision.Double ? ScalarType.Float64 : ScalarType.Float32;
        _translation = tensor(parameters.InputTranslation, dtype: _dtype, device: Device).DetachFromDisposeScope();
        _stretch = tensor(parameters.InputStretch, dtype: _dtype, device: Device).DetachFromDisposeScope();
        _weightsT = parameters.Layers
            .Select(l => tensor(l.Weights, [l.Outputs, l.Inputs], dtype: _dtype, device: Device).t().contiguous().DetachFromDisposeScope())
            .ToArray();
        _biases = parameters.Layers.Select(l => tensor(l.Bias, dtype: _dtype, device: Device).DetachFromDisposeScope()).ToArray();
    }

    public MlpParameters Parameters => _parameters;
    public MlpPrecision Precision { get; }
    public Device Device { get; }
    public int InputCount => _parameters.InputCount;
    public int OutputCount => _parameters.OutputCount;

    /// <summary>Outputs (rows × <see cref="OutputCount"/>) for each row of <paramref name="features"/> (rows × <see cref="InputCount"/>, row-major).</summary>
    public double[] Forward(ReadOnlySpan<double> features)
    {
        int rows = RowsOf(features);
        var outputs = new double[rows * OutputCount];
        Forward(features, outputs);
        return outputs;
    }

    /// <summary>Writes the outputs of each row of <paramref name="features"/> into <paramref name="outputs"/>.</summary>
    public void Forward(ReadOnlySpan<double> features, Span<double> outputs)
    {
        int rows = RowsOf(features);
        if (outputs.Length < rows * OutputCount)
            throw new ArgumentException($"{rows} rows need {rows * OutputCount} outputs, the span holds {outputs.Length}", nameof(outputs));
        if (rows == 0) return;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            EnsureCapacity(rows);
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var input = _buffers[0].narrow(0, 0, rows);
            WriteScaled(input, features);
            var x = input;
            for (int l = 0; l < _weightsT.Length; l++)
            {
                var y = _buffers[l + 1].narrow(0, 0, rows);
                y.copy_(_biasViews[l].narrow(0, 0, rows));
                y.addmm_(x, _weightsT[l], 1, 1);
                if (l + 1 < _weightsT.Length || _parameters.Output == OutputActivation.Sigmoid) y.sigmoid_();
                x = y;
            }
            Read(x, outputs[..(rows * OutputCount)]);
        }
        if (_parameters.Output == OutputActivation.Softmax) Softmax(outputs[..(rows * OutputCount)], OutputCount);
    }

    /// <summary>Row-wise softmax in place, shifted by the row maximum so large logits do not overflow.</summary>
    internal static void Softmax(Span<double> values, int width)
    {
        for (int start = 0; start < values.Length; start += width)
        {
            var row = values.Slice(start, width);
            double max = double.NegativeInfinity;
            foreach (double v in row) max = Math.Max(max, v);
            double sum = 0;
            for (int k = 0; k < width; k++) sum += row[k] = Math.Exp(row[k] - max);
            for (int k = 0; k < width; k++) row[k] /= sum;
        }
    }

    private int RowsOf(ReadOnlySpan<double> features)
    {
        if (features.Length % InputCount != 0)
            throw new ArgumentException($"features hold {features.Length} values, not a whole number of rows of {InputCount}", nameof(features));
        return features.Length / InputCount;
    }

    private void EnsureCapacity(int rows)
    {
        if (rows <= _capacity) return;
        int capacity = Math.Max(rows, Math.Max(256, _capacity * 2));
        DisposeBuffers();
        var widths = _parameters.LayerSizes;
        _buffers = widths.Select(w => empty([capacity, w], dtype: _dtype, device: Device).DetachFromDisposeScope()).ToArray();
        _biasViews = _biases.Select(b => b.unsqueeze(0).expand(capacity, b.shape[0]).DetachFromDisposeScope()).ToArray();
        _capacity = capacity;
    }

    /// <summary>
    /// Writes (x − translation) · stretch into <paramref name="destination"/>. On the CPU the scaling is done here in
    /// double precision while filling the tensor's memory (a narrowed row range of a contiguous buffer is contiguous),
    /// which saves two passes and keeps single precision closer to double.
    /// </summary>
    private void WriteScaled(Tensor destination, ReadOnlySpan<double> values)
    {
        if (Device.type == DeviceType.CPU)
        {
            if (_dtype == ScalarType.Float64) Scale(values, MemoryMarshal.Cast<byte, double>(destination.bytes));
            else Scale(values, MemoryMarshal.Cast<byte, float>(destination.bytes));
            return;
        }
        using var staged = _dtype == ScalarType.Float64
            ? tensor(values.ToArray(), destination.shape, dtype: _dtype)
            : tensor(ToSingle(values), destination.shape, dtype: _dtype);
        destination.copy_(staged);
        destination.sub_(_translation).mul_(_stretch);
    }

    private void Scale<T>(ReadOnlySpan<double> values, Span<T> destination) where T : struct, System.Numerics.IFloatingPoint<T>
    {
        var translation = _parameters.InputTranslation;
        var stretch = _parameters.InputStretch;
        int width = translation.Length;
        for (int start = 0; start < values.Length; start += width)
            for (int i = 0; i < width; i++)
                destination[start + i] = T.CreateTruncating((values[start + i] - translation[i]) * stretch[i]);
    }

    private void Read(Tensor source, Span<double> values)
    {
        if (Device.type != DeviceType.CPU)
        {
            using var host = source.cpu();
            Read(host, values);
            return;
        }
        if (_dtype == ScalarType.Float64) MemoryMarshal.Cast<byte, double>(source.bytes).CopyTo(values);
        else
        {
            var floats = MemoryMarshal.Cast<byte, float>(source.bytes);
            for (int i = 0; i < values.Length; i++) values[i] = floats[i];
        }
    }

    private static float[] ToSingle(ReadOnlySpan<double> values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = (float)values[i];
        return result;
    }

    private void DisposeBuffers()
    {
        foreach (var t in _buffers) t.Dispose();
        foreach (var t in _biasViews) t.Dispose();
        _buffers = [];
        _biasViews = [];
        _capacity = 0;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            DisposeBuffers();
            _translation.Dispose();
            _stretch.Dispose();
            foreach (var t in _weightsT) t.Dispose();
            foreach (var t in _biases) t.Dispose();
        }
    }
}
