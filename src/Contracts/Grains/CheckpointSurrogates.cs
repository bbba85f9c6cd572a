using StreamMonitor.Core;

namespace StreamMonitor.Contracts.Grains;

/// <summary>
/// Orleans serialization for <see cref="Checkpoint"/> and <see cref="FileIdentity"/>, which live in Core (no Orleans
/// reference there): the grain-call form of a checkpoint, so <see cref="IRunGrain.ReportFrame"/> can carry one.
/// </summary>
[GenerateSerializer, Immutable]
public struct CheckpointSurrogate
{
    [Id(0)] public string Path;
    [Id(1)] public long ByteOffset;
    [Id(2)] public long FrameIndex;
    [Id(3)] public FileIdentity Identity;
}

[RegisterConverter]
public sealed class CheckpointSurrogateConverter : IConverter<Checkpoint, CheckpointSurrogate>
{
    public Checkpoint ConvertFromSurrogate(in CheckpointSurrogate surrogate) =>
        new(surrogate.Path, surrogate.ByteOffset, surrogate.FrameIndex, surrogate.Identity);

    public CheckpointSurrogate ConvertToSurrogate(in Checkpoint value) =>
        new() { Path = value.Path, ByteOffset = value.ByteOffset, FrameIndex = value.FrameIndex, Identity = value.Identity };
}

[GenerateSerializer, Immutable]
public struct FileIdentitySurrogate
{
    [Id(0)] public ulong? Device;
    [Id(1)] public ulong? Inode;
}

[RegisterConverter]
public sealed class FileIdentitySurrogateConverter : IConverter<FileIdentity, FileIdentitySurrogate>
{
    public FileIdentity ConvertFromSurrogate(in FileIdentitySurrogate surrogate) => new(surrogate.Device, surrogate.Inode);

    public FileIdentitySurrogate ConvertToSurrogate(in FileIdentity value) => new() { Device = value.Device, Inode = value.Inode };
}
