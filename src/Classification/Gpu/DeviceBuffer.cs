using ILGPU;
using ILGPU.Runtime;

namespace StreamMonitor.Classification.Gpu;

/// <summary>
/// One device array kept across calls: allocated on first use and reallocated only when a call needs more than it
/// holds, then to at least twice its size so that a slowly growing batch or neighbour list does not reallocate every
/// frame. Device allocations are slow (a synchronising cuMemAlloc on CUDA) and the monitor calls once per frame with
/// sizes that hardly change. Not thread-safe: its owner serialises calls.
/// </summary>
internal sealed class DeviceBuffer<T>(Accelerator accelerator) : IDisposable
    where T : unmanaged
{
    private MemoryBuffer1D<T, Stride1D.Dense>? _buffer;
    private bool _disposed;

    /// <summary>Elements the device array holds now (0 before first use).</summary>
    public long Capacity => _buffer?.Length ?? 0;

    /// <summary>The whole device array as it is (uploaded once, e.g. parameters); an error before the first <see cref="Reserve"/>.</summary>
    public ArrayView<T> View
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _buffer is null ? throw new InvalidOperationException("the device array has not been allocated yet") : _buffer.View;
        }
    }

    /// <summary>The whole device array, grown to at least <paramref name="length"/> elements; its contents are undefined after a growth.</summary>
    public ArrayView<T> Reserve(long length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_buffer is null || _buffer.Length < length)
        {
            long size = Math.Max(Math.Max(length, 1), 2 * Capacity); // never empty: a kernel argument needs a real array
            _buffer?.Dispose();
            _buffer = null;
            _buffer = accelerator.Allocate1D<T>(size);
        }
        return _buffer.View;
    }

    /// <summary>Copies <paramref name="data"/> to the start of the device array (grown as needed) and returns the whole array.</summary>
    public ArrayView<T> Upload(ReadOnlySpan<T> data)
    {
        var view = Reserve(data.Length);
        if (!data.IsEmpty) view.SubView(0, data.Length).CopyFromCPU(data);
        return view;
    }

    /// <summary>Copies <c>into.Length</c> elements from element <paramref name="from"/> on back to the host.</summary>
    public void Download(Span<T> into, long from = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (into.IsEmpty) return;
        if (_buffer is null || _buffer.Length < from + into.Length)
            throw new InvalidOperationException($"the device array holds {Capacity} elements, {from} + {into.Length} asked for");
        _buffer.View.BaseView.SubView(from, into.Length).CopyToCPU(into);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _buffer?.Dispose();
        _buffer = null;
    }
}
