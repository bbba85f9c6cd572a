using System.Buffers;

namespace StreamMonitor.Core;

/// <summary>
/// A per-atom column the frame model has no fixed slot for (e.g. LAMMPS <c>c_q[1]</c>, <c>v_cn</c>, <c>element</c>).
/// Numbers are kept as double; text columns store an index into <see cref="Labels"/>.
/// </summary>
public sealed class FrameColumn : IDisposable
{
    private double[]? _values;

    internal FrameColumn(string name, int count, IReadOnlyList<string>? labels)
    {
        Name = name;
        Count = count;
        Labels = labels;
        _values = ArrayPool<double>.Shared.Rent(Math.Max(count, 1));
    }

    public string Name { get; }

    public int Count { get; }

    /// <summary>For a text column, the distinct strings in order of first appearance; null for numbers.</summary>
    public IReadOnlyList<string>? Labels { get; set; }

    public Span<double> Values => (_values ?? throw new ObjectDisposedException(Name)).AsSpan(0, Count);

    public void Dispose()
    {
        var v = Interlocked.Exchange(ref _values, null);
        if (v is not null) ArrayPool<double>.Shared.Return(v);
    }
}
