using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// Inference for an <see cref="MlpParameters"/> network: input scaling, dense layers with sigmoid between them, sigmoid
/// or softmax outputs. On the CPU it runs in <see cref="FusedMlp"/>, two vectors of rows through the whole network at a
/// time (for these small networks about 1.5 times the speed of TorchSharp's layer-by-layer passes over a whole frame);
/// on a GPU, and on the CPU when asked (<c>torchOnCpu</c>, to check one against the other), in TorchSharp.
/// </summary>
/// <remarks>
/// In TorchSharp, per-call cost matters more than arithmetic for these small networks (24 → 25 → 25 → 7 is ~1,400
/// multiply-adds per row), so every intermediate lives in buffers allocated once per batch capacity and updated in place
/// (<c>addmm_</c> into a bias-filled buffer, <c>sigmoid_</c>): allocating fresh 400 kB tensors per layer made the
/// forward pass three times slower, from page faults in the allocator. Inputs are written straight into the input
/// tensor's memory and outputs read straight out of it. Softmax is applied while copying out (seven values a row).
/// Every forward pass runs on the process's <see cref="TorchThread"/> (see there why), under a lock: the buffers are
/// the instance's.
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
    private readonly FusedMlp? _fused;

    /// <param name="torchOnCpu">Run on the CPU in TorchSharp rather than in <see cref="FusedMlp"/> (for comparisons).</param>
    public MlpNetwork(MlpParameters parameters, MlpPrecision precision = MlpPrecision.Single, Device? device = null, bool torchOnCpu = false)
    {
        _parameters = parameters;
        Precision = precision;
        Device = device ?? CPU;
        if (Device.type == DeviceType.CPU && !torchOnCpu) _fused = new FusedMlp(parameters, precision);
        _dtype = precision == MlpPrecision.Double ? ScalarType.Float64 : ScalarType.Float32;
        using var scope = NewDisposeScope(); // disposes the intermediates (untransposed weights); the kept tensors detach
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

    /// <summary>"cpu (fused, 2 cores)" or TorchSharp's "cpu (2 threads)" / "cuda (1 device(s))", for logs and benchmark lines.</summary>
    public string Description => _fused is not null ? $"cpu (fused, {Environment.ProcessorCount} cores)" : $"torch {TorchDevices.Describe(Device)}";

    /// <summary>Writes the outputs of each row of <paramref name="features"/> into <paramref name="outputs"/>.</summary>
    public unsafe void Forward(ReadOnlySpan<double> features, Span<double> outputs)
    {
        int rows = NetworkRows.Of(this, features.Length);
        NetworkRows.CheckOutputs(this, rows, outputs.Length);
        if (rows == 0) return;
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fused is not null) _fused.Forward(features, outputs, rows);
        else
            fixed (double* input = features, output = outputs)
                Evaluate([((nint)input, features.Length)], rows, (nint)output);
        FinishOutputs(outputs[..(rows * OutputCount)]);
    }

    /// <summary>
    /// The outputs of the rows of several inputs taken one after the other, as if concatenated: the micro-batcher's
    /// requests go straight into the input tensor without being copied into one array first.
    /// </summary>
    public unsafe void Forward(IReadOnlyList<ReadOnlyMemory<double>> features, Span<double> outputs)
    {
        int rows = 0;
        foreach (var segment in features) rows += NetworkRows.Of(this, segment.Length);
        NetworkRows.CheckOutputs(this, rows, outputs.Length);
        if (rows == 0) return;
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fused is not null)
        {
            int at = 0;
            foreach (var segment in features)
            {
                int count = segment.Length / InputCount;
                _fused.Forward(segment.Span, outputs[(at * OutputCount)..], count);
                at += count;
            }
        }
        else
        {
            var handles = new System.Buffers.MemoryHandle[features.Count];
            try
            {
                var segments = new (nint, int)[features.Count];
                for (int i = 0; i < handles.Length; i++)
                {
                    handles[i] = features[i].Pin();
                    segments[i] = ((nint)handles[i].Pointer, features[i].Length);
                }
                fixed (double* output = outputs) Evaluate(segments, rows, (nint)output);
            }
            finally
            {
                foreach (var handle in handles) handle.Dispose();
            }
        }
        FinishOutputs(outputs[..(rows * OutputCount)]);
    }

    private void FinishOutputs(Span<double> outputs)
    {
        if (_parameters.Output == OutputActivation.Softmax) Softmax(outputs, OutputCount);
    }

    /// <summary>Runs the pass on the torch thread; the segments and outputs are pinned by the caller until it returns.</summary>
    private void Evaluate((nint Address, int Length)[] segments, int rows, nint outputs) =>
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

    /// <summary>
    /// Row-wise softmax in place, shifted by the row maximum so large logits do not overflow; in chunks of rows
    /// (<see cref="RowChunks"/>).
    /// </summary>
    internal static unsafe void Softmax(Span<double> values, int width)
    {
        int rows = values.Length / width;
        fixed (double* first = values)
        {
            nint start = (nint)first;
            RowChunks.For(rows, (from, to) => SoftmaxRows(new Span<double>((double*)start + (long)from * width, (to - from) * width), width));
        }
    }

    /// <summary>The softmax of whole rows: shifted row by row, exponentiated a vector at a time, normalised row by row.</summary>
    private static void SoftmaxRows(Span<double> values, int width)
    {
        for (int start = 0; start < values.Length; start += width)
        {
            var row = values.Slice(start, width);
            double max = double.NegativeInfinity;
            foreach (double v in row) max = Math.Max(max, v);
            foreach (ref double v in row) v -= max;
        }
        var lanes = MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(values);
        foreach (ref var lane in lanes) lane = System.Numerics.Vector.Exp(lane);
        for (int k = lanes.Length * System.Numerics.Vector<double>.Count; k < values.Length; k++) values[k] = Math.Exp(values[k]);
        for (int start = 0; start < values.Length; start += width)
        {
            var row = values.Slice(start, width);
            double sum = 0;
            foreach (double v in row) sum += v;
            foreach (ref double v in row) v /= sum;
        }
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
