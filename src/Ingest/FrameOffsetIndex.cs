namespace StreamMonitor.Ingest;

/// <summary>
/// Byte offsets of the frames read so far, from frame 0 on, growing as the file is read. It is built while
/// reading instead of by scanning the file up front, which would not work on a file that is still growing.
/// </summary>
public sealed class FrameOffsetIndex
{
    private readonly List<long> _offsets = [];

    /// <summary>Frames 0 .. Count - 1 have known offsets.</summary>
    public int Count => _offsets.Count;

    public long this[int frame] => _offsets[frame];

    /// <summary>Notes where a frame starts; ignored unless it extends the contiguous run from frame 0.</summary>
    public void Record(long frame, long offset)
    {
        if (frame == _offsets.Count) _offsets.Add(offset);
    }
}
