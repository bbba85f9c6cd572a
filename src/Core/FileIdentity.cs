namespace StreamMonitor.Core;

/// <summary>
/// Identifies a file across renames and tells a replaced file from the one that was read:
/// device and inode on Unix. Null parts mean the platform could not tell.
/// </summary>
public readonly record struct FileIdentity(ulong? Device, ulong? Inode)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsKnown => Inode is not null;

    /// <summary>True when both identities are known and name different files.</summary>
    public bool DiffersFrom(FileIdentity other) => IsKnown && other.IsKnown && (Device != other.Device || Inode != other.Inode);

    public override string ToString() => IsKnown ? $"dev {Device} inode {Inode}" : "unknown";
}
