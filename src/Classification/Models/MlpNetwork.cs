using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// Inference for an <see cref="MlpParameters"/> network: input scaling, dense layers with sigmoid between them, sigmoid
/// or softmax outputs. On the CPU it runs in <see cref="FusedMlp"/>, two vectors of rows through the whole network at a
/// time (for these small networks about 1.5 times the speed of TorchSharp's layer-by-layer passes over a whole frame);
/// on a GPU, and on the CPU when asked (<c>torchOnCpu</c>, to check one against the other), in TorchSharp
/// (<see cref="TorchMlp"/>). The fused path does not touch TorchSharp, so a process that classifies on the CPU never
/// loads libtorch.
/// </summary>
public sealed class MlpNetwork : INetwork
{
    private readonly MlpParameters _parameters;
    private readonly FusedMlp? _fused;
    private readonly TorchMlp? _torch;
    private bool _disposed;

    /// <param name="device">Where TorchSharp runs the network; null (or the CPU, unless <paramref name="torchOnCpu"/>): the fused CPU path.</param>
    /// <param name="torchOnCpu">Run on the CPU in TorchSharp rather than in <see cref="FusedMlp"/> (for comparisons).</param>
    public MlpNetwork(MlpParameters parameters, MlpPrecision precision = MlpPrecision.Single, Device? device = null, bool torchOnCpu = false)
    {
        _parameters = parameters;
        Precision = precision;
        if (torchOnCpu || (device is not null && device.type != DeviceType.CPU)) _torch = new TorchMlp(parameters, precision, device ?? CPU);
        else _fused = new FusedMlp(parameters, precision);
    }

    public MlpParameters Parameters => _parameters;
    public MlpPrecision Precision { get; }

    public int InputCount => _parameters.InputCount;
    public int OutputCount => _parameters.OutputCount;

    /// <summary>"cpu (fused, 2 cores)" or TorchSharp's "cpu (2 threads)" / "cuda (1 device(s))", for logs and benchmark lines.</summary>
    public string Description => _torch is { } torch ? $"torch {TorchDevices.Describe(torch.Device)}" : $"cpu (fused, {Environment.ProcessorCount} cores)";

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
                _torch!.Evaluate([((nint)input, features.Length)], rows, (nint)output);
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
                fixed (double* output = outputs) _torch!.Evaluate(segments, rows, (nint)output);
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

    public void Dispose()
    {
        _disposed = true;
        _torch?.Dispose();
    }
}
