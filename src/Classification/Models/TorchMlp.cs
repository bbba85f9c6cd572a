using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// The passes of an <see cref="MlpParameters"/> network in TorchSharp, on a GPU or, for comparisons, on the CPU: the
/// input scaling, the dense layers and their activations, not the output softmax (<see cref="MlpNetwork"/> applies it).
/// Kept apart from <see cref="MlpNetwork"/> so that the CPU's fused path never loads libtorch.
/// </summary>
/// <remarks>
/// In TorchSharp, per-call cost matters more than arithmetic for these small networks (24 → 25 → 25 → 7 is ~1,400
/// multiply-adds per row), so every intermediate lives in buffers allocated once per batch capacity and updated in place
/// (<c>addmm_</c> into a bias-filled buffer, <c>sigmoid_</c>): allocating fresh 400 kB tensors per layer made the
/// forward pass three times slower, from page faults in the allocator. Inputs are written straight into the input
/// tensor's memory and outputs read straight out of it. Every forward pass runs on the process's
/// <see cref="TorchThread"/> (see there why), under a lock: the buffers are the instance's.
/// </remarks>
internal sealed class TorchMlp : IDisposable
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

    public TorchMlp(MlpParameters parameters, MlpPrecision precision, Device device)
    {
        _parameters = parameters;
        Device = device;
        _dtype = precision == MlpPrecision.Double ? ScalarType.Float64 : ScalarType.Float32;
        using var scope = NewDisposeScope(); // disposes the intermediates (untransposed weights); the kept tensors detach
        _translation = tensor(parameters.InputTranslation, dtype: _dtype, device: Device).DetachFromDisposeScope();
        _stretch = tensor(parameters.InputStretch, dtype: _dtype, device: Device).DetachFromDisposeScope();
        _weightsT = parameters.Layers
            .Select(l => tensor(l.Weights, [l.Outputs, l.Inputs], dtype: _dtype, device: Device).t().contiguous().DetachFromDisposeScope())
            .ToArray();
        _biases = parameters.Layers.Select(l => tensor(l.Bias, dtype: _dtype, device: Device).DetachFromDisposeScope()).ToArray();
    }

    public Device Device { get; }

    private int OutputCount => _parameters.OutputCount;

    /// <summary>Runs the pass on the torch thread; the segments and outputs are pinned by the caller until it returns.</summary>
    public void Evaluate((nint Address, int Length)[] segments, int rows, nint outputs) =>
        TorchThread.Shared.Run(() =>
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                EnsureCapacity(rows);
                using var noGrad = no_grad();
                using var scope = NewDisposeScope();
                var input = _buffers[0].narrow(0, 0, rows);
                WriteScaled(input, segments);
                var x = input;
                for (int l = 0; l < _weightsT.Length; l++)
                {
                    var y = _buffers[l + 1].narrow(0, 0, rows);
                    y.copy_(_biasViews[l].narrow(0, 0, rows));
                    y.addmm_(x, _weightsT[l], 1, 1);
                    if (l + 1 < _weightsT.Length || _parameters.Output == OutputActivation.Sigmoid) y.sigmoid_();
                    x = y;
                }
                unsafe
                {
                    Read(x, new Span<double>((void*)outputs, rows * OutputCount));
                }
            }
        });

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
    private unsafe void WriteScaled(Tensor destination, (nint Address, int Length)[] segments)
    {
        if (Device.type == DeviceType.CPU)
        {
            int offset = 0;
            foreach (var (address, length) in segments)
            {
                var values = new ReadOnlySpan<double>((void*)address, length);
                if (_dtype == ScalarType.Float64) Scale(values, MemoryMarshal.Cast<byte, double>(destination.bytes)[offset..]);
                else Scale(values, MemoryMarshal.Cast<byte, float>(destination.bytes)[offset..]);
                offset += length;
            }
            return;
        }
        var all = new double[segments.Sum(s => s.Length)];
        int at = 0;
        foreach (var (address, length) in segments)
        {
            new ReadOnlySpan<double>((void*)address, length).CopyTo(all.AsSpan(at));
            at += length;
        }
        using var staged = _dtype == ScalarType.Float64
            ? tensor(all, destination.shape, dtype: _dtype)
            : tensor(all.Select(v => (float)v).ToArray(), destination.shape, dtype: _dtype);
        destination.copy_(staged);
        destination.sub_(_translation).mul_(_stretch);
    }

    /// <summary>The scaled rows of <paramref name="values"/> into <paramref name="destination"/>, in chunks of rows (<see cref="RowChunks"/>).</summary>
    private unsafe void Scale<T>(ReadOnlySpan<double> values, Span<T> destination) where T : unmanaged, System.Numerics.IFloatingPoint<T>
    {
        var translation = _parameters.InputTranslation;
        var stretch = _parameters.InputStretch;
        int width = translation.Length;
        if (destination.Length < values.Length) throw new ArgumentException("the input tensor is smaller than the rows", nameof(destination));
        fixed (double* source = values)
        fixed (T* target = destination)
        {
            nint from = (nint)source, to = (nint)target;
            RowChunks.For(values.Length / width, (first, end) =>
            {
                for (long at = (long)first * width, stop = (long)end * width; at < stop; at += width)
                    for (int i = 0; i < width; i++)
                        ((T*)to)[at + i] = T.CreateTruncating((((double*)from)[at + i] - translation[i]) * stretch[i]);
            });
        }
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
