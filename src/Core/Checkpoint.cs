namespace StreamMonitor.Core;

/// <summary>
/// A resumable position in a trajectory: the byte offset of the next frame, its index and the identity of the
/// file it belongs to. Resuming from a checkpoint yields exactly the frames after it.
/// </summary>
public sealed record Checkpoint(string Path, long ByteOffset, long FrameIndex, FileIdentity Identity)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public TrajectoryPosition Position => new(ByteOffset, FrameIndex);
}
