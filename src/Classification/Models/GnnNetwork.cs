using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace StreamMonitor.Classification.Models;

/// <summary>
/// Inference for a <see cref="GnnParameters"/> network in TorchSharp, on the process's <see cref="TorchThread"/> under
/// a lock, as <see cref="MlpNetwork"/>. Rows go through in chunks (<see cref="ChunkRows"/>): the edge tensors are
/// rows × nodes × edges × harmonics, which for a whole large frame at once would be gigabytes.
/// </summary>
public sealed class GnnNetwork : INetwork
{
    /// <summary>
    /// Rows per pass for graphs of this shape: about 80 000 edge slots, which keeps the largest tensor (the edges'
    /// harmonics, 49 values each at degree 6) near 16 MB in single precision: 260 rows of 19 atoms, 70 molecules of 72.
    /// Larger passes gain nothing: their tensors come from fresh pages the kernel must clear each time.
    /// </summary>
    public static int ChunkRows(GnnParameters parameters) => Math.Max(16, 80_000 / (parameters.Nodes * parameters.EdgesPerNode));

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
            int chunkRows = ChunkRows(Parameters);
            for (int start = 0; start < rows; start += chunkRows)
            {
                int count = Math.Min(chunkRows, rows - start);
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
