using System.IO.Compression;
using StreamMonitor.Core;

namespace StreamMonitor.Ingest.IO;

/// <summary>
/// A gzip-compressed file, decompressed on the fly. Offsets count decompressed bytes; seeking backwards
/// restarts decompression from the beginning, which is acceptable for the resume-once use it gets.
/// </summary>
internal sealed class GzipByteSource : ByteSource
{
    private readonly string _path;
    private FileStream _file;
    private GZipStream _gzip;
    private long _position;

    public GzipByteSource(string path)
    {
        _path = path;
        (_file, _gzip) = OpenStreams(path);
        Identity = FileIdentityProbe.Of(_file.SafeFileHandle);
    }

    public override long Position => _position;

    public override FileIdentity Identity { get; }

    public override int Read(Span<byte> buffer)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int n = _gzip.Read(buffer[total..]);
                if (n == 0) break;
                total += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw new TrajectoryFormatException(_path, null, _position + total, null, $"corrupt gzip data: {e.Message}", e);
        }
        _position += total;
        return total;
    }

    public override void Seek(long offset)
    {
        if (offset < _position)
        {
            Dispose();
            (_file, _gzip) = OpenStreams(_path);
            _position = 0;
        }
        Span<byte> scratch = stackalloc byte[8192];
        while (_position < offset)
        {
            int n = Read(scratch[..(int)Math.Min(scratch.Length, offset - _position)]);
            if (n == 0)
                throw new TrajectoryFormatException(_path, null, offset, null, $"cannot seek to byte {offset}: the decompressed file has only {_position} bytes");
        }
    }

    public override void Dispose()
    {
        _gzip.Dispose();
        _file.Dispose();
    }

    private static (FileStream, GZipStream) OpenStreams(string path)
    {
        var file = UnlockedFile.OpenReadStream(path, 1 << 16);
        return (file, new GZipStream(file, CompressionMode.Decompress));
    }
}
