namespace StreamMonitor.Metrics;

/// <summary>
/// Lines written or spilled together, numbered in the order they were made: spill files are named by <see cref="Id"/>,
/// so replaying them by name replays them oldest first. Owns its <see cref="Lines"/>.
/// </summary>
public sealed class InfluxBatch(long id, LineProtocolWriter lines) : IDisposable
{
    public long Id { get; } = id;

    public LineProtocolWriter Lines { get; } = lines;

    public int Count => Lines.LineCount;

    /// <summary>Lines [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) as bytes.</summary>
    public ReadOnlyMemory<byte> Slice(int first, int count)
    {
        int start = first == 0 ? 0 : Lines.LineEnds[first - 1];
        return Lines.Written[start..Lines.LineEnds[first + count - 1]];
    }

    public void Dispose() => Lines.Dispose();
}
