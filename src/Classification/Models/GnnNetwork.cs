using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// Inference for a <see cref="GnnParameters"/> network in TorchSharp, on the process's <see cref="TorchThread"/> under
/// a lock, as <see cref="MlpNetwork"/>. Rows go through in chunks of <see cref="ChunkRows"/>: the pairwise tensors are
/// rows × nodes² × basis functions, which for a whole large frame at once would be gigabytes.
/// </summary>
public sealed class GnnNetwork : INetwork
{
    /// <summary>Rows per pass: 19-node graphs with 16 basis functions keep the largest tensor near 24 MB in single precision.</summary>
    public const int ChunkRows = 1024;

    private readonly object _gate = new();
    private readonly GnnModule _module;
    private readonly ScalarType _dtype;
    private bool _disposed;

    public GnnNetwork(GnnParameters parameters, MlpPrecision precision = MlpPrecision.Single, Device? device = null)
    {
        Parameters = parameters;
        Device = device ?? CPU;
        _dtype = precision == MlpPrecision.Double ? ScalarType.Float64 : ScalarType.Float32;
        _module = GnnModule.Create(parameters);
        _module.to(_dtype).to(Device);
        _module.eval();
    }

    public GnnParameters Parameters { get; }
    public Device Device { get; }
    public int InputCount => Parameters.InputCount;
    public int OutputCount => Parameters.OutputCount;

    public unsafe void Forward(ReadOnlySpan<double> features, Span<double> outputs)
    {
        int rows = NetworkRows.Of(this, features.Length);
        NetworkRows.CheckOutputs(this, rows, outputs.Length);
        if (rows == 0) return;
        fixed (double* input = features, output = outputs)
        {
            nint inputAddress = (nint)input, outputAddress = (nint)output;
            TorchThread.Shared.Run(() => Evaluate(inputAddress, rows, outputAddress));
        }
        if (Parameters.Output == OutputActivation.Softmax) MlpNetwork.Softmax(outputs[..(rows * OutputCount)], OutputCount);
    }

    private unsafe void Evaluate(nint features, int rows, nint outputs)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var noGrad = no_grad();
            for (int start = 0; start < rows; start += ChunkRows)
            {
                int count = Math.Min(ChunkRows, rows - start);
                var source = new ReadOnlySpan<double>((void*)(features + start * InputCount * sizeof(double)), count * InputCount);
                var chunk = new float[source.Length];
                for (int i = 0; i < source.Length; i++) chunk[i] = (float)source[i];
                using var scope = NewDisposeScope();
                var input = tensor(chunk, [count, InputCount], dtype: ScalarType.Float32).to(_dtype).to(Device);
                var logits = _module.forward(input);
                if (Parameters.Output == OutputActivation.Sigmoid) logits = logits.sigmoid();
                var host = logits.to_type(ScalarType.Float64).cpu().contiguous();
                MemoryMarshal.Cast<byte, double>(host.bytes).CopyTo(new Span<double>((void*)(outputs + start * OutputCount * sizeof(double)), count * OutputCount));
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _module.Dispose();
        }
    }
}
