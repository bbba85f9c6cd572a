using ILGPU.Runtime;
using StreamMonitor.Analysis.Neighbors;
using StreamMonitor.Classification.Features;
using StreamMonitor.Core;

namespace StreamMonitor.Classification.Gpu;

/// <summary>
/// The <see cref="AtomicFeatureSpec"/> features (the shipped Lennard-Jones model's averaged Steinhardt q̄_l, ŵ_l and
/// coordination) computed on the device: the cell-list neighbour search (<see cref="IlgpuNeighborSearch"/>), then the
/// Steinhardt kernels (<see cref="IlgpuSteinhardt"/>). The rows equal <see cref="AtomicFeaturizer"/>'s, with the same
/// neighbour list attached for the cluster analysis that reuses it.
/// </summary>
/// <remarks>
/// Thread-safe: calls are serialised, as they share the device arrays, which live across frames and grow only when a
/// frame needs more. The kernels are compiled by the constructor; the accelerator stays the caller's.
/// </remarks>
public sealed class IlgpuAtomicFeaturizer : IFeaturizer, IDisposable
{
    private readonly AtomicFeatureSpec _spec;
    private readonly IlgpuNeighborSearch _search;
    private readonly IlgpuSteinhardt _steinhardt;
    private readonly Lock _gate = new();
    private bool _disposed;

    public IlgpuAtomicFeaturizer(AtomicFeatureSpec spec, Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(accelerator);
        _spec = spec;
        _search = new IlgpuNeighborSearch(accelerator);
        try
        {
            _steinhardt = new IlgpuSteinhardt(spec, accelerator);
        }
        catch
        {
            _search.Dispose();
            throw;
        }
    }

    public FeatureSpec Spec => _spec;

    /// <summary>Entries per atom the device neighbour lists hold now (grown by a frame with more neighbours in range).</summary>
    public int NeighborCapacity => _search.Capacity;

    public FeatureRows Compute(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        AtomicFeaturizer.RequireCell(frame, _spec);
        int n = frame.AtomCount;
        NeighborList neighbors;
        double[] values;
        bool[] defined;
        if (n == 0)
        {
            neighbors = new NeighborList([0], [], [], [], [], [], _spec.Cutoff, requested: null);
            (values, defined) = ([], []);
        }
        else
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var list = _search.Find(frame, _spec.Cutoff);
                (values, defined) = _steinhardt.Compute(list);
                neighbors = _search.Download(list, _spec.Cutoff);
            }
        }
        return AtomicFeaturizer.Rows(frame, _spec.Width, values, defined, neighbors);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _steinhardt.Dispose();
            _search.Dispose();
        }
    }
}
