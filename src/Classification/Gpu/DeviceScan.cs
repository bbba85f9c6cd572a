using ILGPU;
using ILGPU.Runtime;

namespace StreamMonitor.Classification.Gpu;

/// <summary>
/// Exclusive prefix sums of an int array on the device (cell starts from cell counts, row offsets from row lengths),
/// in three kernels: each of about √n chunks sums its part, one thread scans the chunk totals, then each chunk writes
/// its running sums. Every step is O(√n) sequential work, which for the million-atom frames this serves is a fraction
/// of a millisecond on a GPU, with no library (ILGPU.Algorithms) and no copy to the host and back.
/// </summary>
internal sealed class DeviceScan : IDisposable
{
    private readonly Action<Index1D, ArrayView<int>, ArrayView<int>, int, int> _sumChunks;
    private readonly Action<Index1D, ArrayView<int>, int> _scanTotals;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, int, int> _writeSums;
    private readonly DeviceBuffer<int> _totals;

    public DeviceScan(Accelerator accelerator)
    {
        _totals = new DeviceBuffer<int>(accelerator);
        _sumChunks = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, int, int>(SumChunks);
        _scanTotals = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, int>(ScanTotals);
        _writeSums = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, int, int>(WriteSums);
    }

    /// <summary>
    /// output[k] = input[0] + … + input[k − 1] for k = 0 … n (so output[n] is the total); output must hold n + 1. Queued
    /// on the accelerator's stream like the kernels around it.
    /// </summary>
    public void Exclusive(ArrayView<int> input, ArrayView<int> output, int n)
    {
        int chunk = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(n)));
        int chunks = (n + chunk - 1) / chunk;
        var totals = _totals.Reserve(chunks + 1);
        if (chunks > 0) _sumChunks(chunks, input, totals, n, chunk);
        _scanTotals(1, totals, chunks);
        _writeSums(Math.Max(chunks, 1), input, output, totals, n, chunk);
    }

    /// <summary>The last value of an <see cref="Exclusive"/> scan (the total), copied to the host.</summary>
    public static int Total(ArrayView<int> output, int n)
    {
        var total = new int[1];
        output.SubView(n, 1).CopyToCPU(total);
        return total[0];
    }

    public void Dispose() => _totals.Dispose();

    private static void SumChunks(Index1D index, ArrayView<int> input, ArrayView<int> totals, int n, int chunk)
    {
        int sum = 0;
        for (int k = index * chunk, end = Math.Min(n, k + chunk); k < end; k++) sum += input[k];
        totals[index] = sum;
    }

    /// <summary>One thread: the chunk totals become the chunk starts, and totals[chunks] the grand total.</summary>
    private static void ScanTotals(Index1D index, ArrayView<int> totals, int chunks)
    {
        int running = 0;
        for (int c = 0; c < chunks; c++)
        {
            int t = totals[c];
            totals[c] = running;
            running += t;
        }
        totals[chunks] = running;
    }

    private static void WriteSums(Index1D index, ArrayView<int> input, ArrayView<int> output, ArrayView<int> totals, int n, int chunk)
    {
        int running = totals[index];
        int k = index * chunk;
        for (int end = Math.Min(n, k + chunk); k < end; k++)
        {
            output[k] = running;
            running += input[k];
        }
        if (k == n) output[n] = running; // the chunk that ends the array (or the only one, for n = 0)
    }
}
