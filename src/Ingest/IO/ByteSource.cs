using StreamMonitor.Core;

namespace StreamMonitor.Ingest.IO;

/// <summary>The bytes of a trajectory: a plain file read at explicit offsets, or a decompressed .gz stream.</summary>
internal abstract class ByteSource : IDisposable
{
    /// <summary>Offset of the next byte <see cref="Read"/> returns.</summary>
    public abstract long Position { get; }

    public abstract FileIdentity Identity { get; }

    /// <summary>Reads what is there now; 0 means nothing more yet (a growing file may have more later).</summary>
    public abstract int Read(Span<byte> buffer);

    public abstract void Seek(long offset);

    public abstract void Dispose();

    public static ByteSource Open(string path)
    {
        var file = new FileByteSource(path);
        Span<byte> magic = stackalloc byte[2];
        int n = file.Read(magic);
        file.Seek(0);
        if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            file.Dispose();
            return new GzipByteSource(path);
        }
        return file;
    }
}
