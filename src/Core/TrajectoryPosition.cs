namespace StreamMonitor.Core;

/// <summary>Where a reader stands in a file: the byte offset of the next frame and that frame's index.</summary>
public readonly record struct TrajectoryPosition(long ByteOffset, long FrameIndex)
{
    public static readonly TrajectoryPosition Start = new(0, 0);
}
