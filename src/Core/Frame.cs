using System.Buffers;

namespace StreamMonitor.Core;

/// <summary>
/// One trajectory frame as structure-of-arrays. The per-atom arrays are rented from <see cref="ArrayPool{T}"/>
/// and go back on <see cref="Dispose"/>: whoever receives a frame owns it and must dispose it.
/// Positions are Cartesian, in the file's length unit (Å for XTC, converted from nm).
/// </summary>
public sealed class Frame : IDisposable
{
    private int[]? _ids;
    private int[]? _types;
    private int[]? _molecules;
    private int[]? _images;
    private float[]? _x;
    private float[]? _y;
    private float[]? _z;
    private List<FrameColumn>? _columns;

    public Frame(int atomCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(atomCount);
        AtomCount = atomCount;
        int n = Math.Max(atomCount, 1);
        _ids = ArrayPool<int>.Shared.Rent(n);
        _types = ArrayPool<int>.Shared.Rent(n);
        _x = ArrayPool<float>.Shared.Rent(n);
        _y = ArrayPool<float>.Shared.Rent(n);
        _z = ArrayPool<float>.Shared.Rent(n);
    }

    /// <summary>0-based position of this frame in its file (restarts at 0 when the file is replaced).</summary>
    public long Index { get; set; }

    /// <summary>MD step (timestep) the frame was written at.</summary>
    public long Step { get; set; }

    /// <summary>Simulation time, when the format records it (ps for XTC).</summary>
    public double? Time { get; set; }

    public int AtomCount { get; }

    public SimulationBox Box { get; set; } = SimulationBox.None;

    public CoordinateKind Coordinates { get; set; } = CoordinateKind.Wrapped;

    /// <summary>Byte offset of the frame's first byte in the (decompressed) file.</summary>
    public long ByteOffset { get; set; }

    /// <summary>Number of bytes the frame occupies in the file.</summary>
    public long ByteLength { get; set; }

    /// <summary>Type names for formats that name types (XYZ species); index = type - 1.</summary>
    public IReadOnlyList<string>? TypeNames { get; set; }

    public Span<int> Ids => Live(_ids).AsSpan(0, AtomCount);
    public Span<int> Types => Live(_types).AsSpan(0, AtomCount);
    public Span<float> X => Live(_x).AsSpan(0, AtomCount);
    public Span<float> Y => Live(_y).AsSpan(0, AtomCount);
    public Span<float> Z => Live(_z).AsSpan(0, AtomCount);

    public bool HasMolecules => _molecules is not null;

    /// <summary>Molecule ids; empty when the file has none.</summary>
    public Span<int> Molecules => _molecules is null ? Span<int>.Empty : _molecules.AsSpan(0, AtomCount);

    public bool HasImages => _images is not null;

    /// <summary>Image flags as (ix, iy, iz) triples per atom; empty when the file has none.</summary>
    public Span<int> Images => _images is null ? Span<int>.Empty : _images.AsSpan(0, 3 * AtomCount);

    public IReadOnlyList<FrameColumn> Columns => (IReadOnlyList<FrameColumn>?)_columns ?? [];

    public FrameColumn? Column(string name)
    {
        if (_columns is null) return null;
        foreach (var c in _columns)
            if (c.Name == name) return c;
        return null;
    }

    public Span<int> AddMolecules()
    {
        _molecules ??= ArrayPool<int>.Shared.Rent(Math.Max(AtomCount, 1));
        return Molecules;
    }

    public Span<int> AddImages()
    {
        _images ??= ArrayPool<int>.Shared.Rent(Math.Max(3 * AtomCount, 1));
        return Images;
    }

    public FrameColumn AddColumn(string name, IReadOnlyList<string>? labels = null)
    {
        if (Column(name) is not null) throw new ArgumentException($"column '{name}' already exists", nameof(name));
        var column = new FrameColumn(name, AtomCount, labels);
        (_columns ??= []).Add(column);
        return column;
    }

    public void Dispose()
    {
        Return(ref _ids);
        Return(ref _types);
        Return(ref _molecules);
        Return(ref _images);
        Return(ref _x);
        Return(ref _y);
        Return(ref _z);
        if (_columns is not null)
        {
            foreach (var c in _columns) c.Dispose();
            _columns = null;
        }
    }

    private static T[] Live<T>(T[]? array) => array ?? throw new ObjectDisposedException(nameof(Frame));

    private static void Return<T>(ref T[]? array)
    {
        var a = Interlocked.Exchange(ref array, null);
        if (a is not null) ArrayPool<T>.Shared.Return(a);
    }
}
