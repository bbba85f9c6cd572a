using StreamMonitor.Core;

namespace StreamMonitor.Monitoring.Pipeline;

/// <summary>
/// How far a followed file is ahead of the reader, in frames: the bytes after the frame just read over that frame's
/// size. Tells an operator whether a run keeps up (0) or falls behind, without indexing the rest of the file.
/// </summary>
internal sealed class FramesBehindEstimate(Checkpoint? resume)
{
    private string? _path = resume?.Path;
    private long _offset = resume?.ByteOffset ?? 0;

    /// <summary>The estimate after the frame that ends at <paramref name="after"/>; null when the frame began in another file.</summary>
    public long? After(Checkpoint after)
    {
        bool sameFile = _path is null || _path == after.Path;
        long size = after.ByteOffset - _offset;
        (_path, _offset) = (after.Path, after.ByteOffset);
        if (!sameFile || size <= 0) return null;
        try
        {
            long rest = new FileInfo(after.Path).Length - after.ByteOffset;
            return rest <= 0 ? 0 : rest / size;
        }
        catch (IOException)
        {
            return null; // the file went away meanwhile; the tailer reports that
        }
    }
}
