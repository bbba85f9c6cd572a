using Microsoft.Win32.SafeHandles;
using StreamMonitor.Core;

namespace StreamMonitor.Ingest.IO;

/// <summary>
/// A plain file read with positional reads. Each read asks the OS afresh, so bytes a simulation appends
/// after an earlier end-of-file show up on the next read (no stream-level caching of EOF).
/// </summary>
internal sealed class FileByteSource : ByteSource
{
    private readonly SafeFileHandle _handle;
    private long _position;

    public FileByteSource(string path)
    {
        _handle = UnlockedFile.OpenRead(path);
        Identity = FileIdentityProbe.Of(_handle);
    }

    public override long Position => _position;

    public override FileIdentity Identity { get; }

    /// <summary>Current length on disk, for noticing truncation.</summary>
    public long Length => RandomAccess.GetLength(_handle);

    public override int Read(Span<byte> buffer)
    {
        int n = RandomAccess.Read(_handle, buffer, _position);
        _position += n;
        return n;
    }

    public override void Seek(long offset) => _position = offset;

    /// <summary>Reads at an offset without moving <see cref="ByteSource.Position"/>.</summary>
    public int ReadAt(long offset, Span<byte> buffer) => RandomAccess.Read(_handle, buffer, offset);

    public override void Dispose() => _handle.Dispose();
}
