using StreamMonitor.Core;
using StreamMonitor.Ingest.IO;

namespace StreamMonitor.Ingest;

/// <summary>
/// Reads the frames of one trajectory file in order, for finished files and growing ones alike. It buffers
/// bytes, hands them to the format's <see cref="FrameParser"/> and only returns whole frames: a frame still
/// being written is reported as <see cref="ReadStatus.Incomplete"/> and read again when more bytes arrive.
/// Its <see cref="Checkpoint"/> resumes exactly after the last frame returned.
/// </summary>
public sealed class TrajectoryReader : IDisposable
{
    private const int InitialBufferSize = 1 << 20;
    private const int HeadSize = 256;

    private readonly ByteSource _source;
    private readonly FrameParser _parser;
    private readonly byte[] _head;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private long _offset;
    private long _frameIndex;
    private long _line;
    private long _needed;
    private int _incompleteAt = -1;
    private readonly FrameOffsetIndex _index = new();

    private TrajectoryReader(string path, ByteSource source, TrajectoryFormat format, byte[] head)
    {
        Path = path;
        _source = source;
        Format = format;
        _parser = format.CreateParser();
        _head = head;
        _line = 1;
    }

    public string Path { get; }

    public TrajectoryFormat Format { get; }

    public FileIdentity Identity => _source.Identity;

    /// <summary>Where the next frame starts and its index.</summary>
    public TrajectoryPosition Position => new(_offset, _frameIndex);

    public Checkpoint Checkpoint => new(Path, _offset, _frameIndex, Identity);

    /// <summary>Offsets of the frames read so far, for <see cref="SeekFrame"/>.</summary>
    public FrameOffsetIndex Index => _index;

    /// <summary>
    /// Opens a trajectory. <paramref name="format"/> null picks it from the content, then the extension.
    /// Throws <see cref="FileNotFoundException"/> for a missing file and <see cref="TrajectoryFormatException"/>
    /// when the format cannot be told.
    /// </summary>
    public static TrajectoryReader Open(string path, TrajectoryFormat? format = null, TrajectoryPosition? start = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        var source = ByteSource.Open(path);
        try
        {
            var head = new byte[HeadSize];
            int n = 0, got;
            while (n < head.Length && (got = source.Read(head.AsSpan(n))) > 0) n += got;
            Array.Resize(ref head, n);
            format ??= TrajectoryFormats.Detect(path, head) ?? throw new TrajectoryFormatException(path, null, null, null,
                n == 0
                    ? "the file is empty, so its format cannot be told yet; pass --format"
                    : $"unknown trajectory format: not a LAMMPS dump, extended XYZ or XTC file (known: {string.Join(", ", TrajectoryFormats.Names.Skip(1))}); pass --format");
            source.Seek(0);
            var reader = new TrajectoryReader(path, source, format, head);
            if (start is { } s && s != TrajectoryPosition.Start) reader.Seek(s);
            return reader;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>Continues from a position taken from <see cref="Position"/> or a checkpoint of this file.</summary>
    public void Seek(TrajectoryPosition position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position.ByteOffset);
        _source.Seek(position.ByteOffset);
        _start = _end = 0;
        _offset = position.ByteOffset;
        _frameIndex = position.FrameIndex;
        _line = position.ByteOffset == 0 ? 1 : 0;
        _needed = 0;
        _incompleteAt = -1;
    }

    /// <summary>
    /// Positions the reader so that the next frame read is frame <paramref name="frame"/>: directly when its offset
    /// is known, otherwise by reading forward from the last known frame. False when the file (as it is now) has
    /// fewer frames; the reader then stands after its last whole frame.
    /// </summary>
    public bool SeekFrame(long frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        if (frame >= _index.Count)
        {
            // Read forward from where the index ends, so that every frame read extends it.
            if (_frameIndex != _index.Count)
                Seek(_index.Count == 0 ? TrajectoryPosition.Start : new TrajectoryPosition(_index[_index.Count - 1], _index.Count - 1));
            while (_index.Count <= frame)
            {
                if (TryRead(out var skipped) != ReadStatus.Frame) return false;
                skipped!.Dispose();
            }
        }
        Seek(new TrajectoryPosition(_index[(int)frame], frame));
        return true;
    }

    /// <summary>Reads the next whole frame if the file holds one now. Never blocks waiting for data.</summary>
    public ReadStatus TryRead(out Frame? frame)
    {
        frame = null;
        while (true)
        {
            int available = _end - _start;
            if (available > 0 && available > _incompleteAt && available >= _needed)
            {
                var at = new FrameLocation(Path, _frameIndex, _offset, _line);
                var result = _parser.TryParse(_buffer.AsSpan(_start, available), at);
                if (result.Status == FrameParseStatus.Frame)
                {
                    _index.Record(_frameIndex, _offset);
                    _start += result.BytesConsumed;
                    _offset += result.BytesConsumed;
                    _frameIndex++;
                    if (_line > 0) _line += result.LinesConsumed;
                    _needed = 0;
                    _incompleteAt = -1;
                    frame = result.Frame;
                    return ReadStatus.Frame;
                }
                _needed = result.BytesNeeded;
                _incompleteAt = available;
            }
            if (Fill() == 0)
                return available == 0 || (Format.IsText && IsWhitespace(_buffer.AsSpan(_start, available)))
                    ? ReadStatus.End
                    : ReadStatus.Incomplete;
        }
    }

    /// <summary>
    /// Reads the next frame of a finished file: null at the end, <see cref="TrajectoryFormatException"/> when the
    /// file ends inside a frame.
    /// </summary>
    public Frame? Read() => TryRead(out var frame) switch
    {
        ReadStatus.Frame => frame,
        ReadStatus.End => null,
        _ => throw TruncatedError(),
    };

    /// <summary>All remaining frames of a finished file. Each frame must be disposed by the caller.</summary>
    public IEnumerable<Frame> ReadAll()
    {
        while (Read() is { } frame) yield return frame;
    }

    /// <summary>Bytes buffered after the last frame returned (a partial frame, when incomplete).</summary>
    public int PendingBytes => _end - _start;

    public TrajectoryFormatException TruncatedError() => new(Path, _frameIndex, _offset, _line > 0 ? _line : null,
        $"truncated frame: the file ends {PendingBytes} bytes into frame {_frameIndex}");

    /// <summary>Checks whether the file under the reader was truncated, replaced or removed since it was read.</summary>
    public FileChange CheckFile()
    {
        var onDisk = FileIdentityProbe.Of(Path);
        if (!onDisk.IsKnown && !File.Exists(Path)) return FileChange.Missing;
        if (onDisk.DiffersFrom(Identity)) return FileChange.Replaced;
        if (_source is not FileByteSource file) return FileChange.None;
        if (file.Length < file.Position) return FileChange.Truncated;
        // Rewritten in place (same inode, written again past our offset before we looked): the first bytes differ.
        Span<byte> head = stackalloc byte[_head.Length];
        return file.ReadAt(0, head) == head.Length && head.SequenceEqual(_head) ? FileChange.None : FileChange.Truncated;
    }

    public void Dispose() => _source.Dispose();

    private int Fill()
    {
        if (_start == _end) _start = _end = 0;
        if (_end == _buffer.Length || _start > _buffer.Length / 2)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length || _needed > _buffer.Length)
        {
            long size = Math.Max((long)_buffer.Length * 2, _needed);
            if (size > Array.MaxLength)
                throw new TrajectoryFormatException(Path, _frameIndex, _offset, null, $"frame {_frameIndex} is larger than {Array.MaxLength} bytes");
            Array.Resize(ref _buffer, (int)size);
        }
        int n = _source.Read(_buffer.AsSpan(_end));
        _end += n;
        return n;
    }

    private static bool IsWhitespace(ReadOnlySpan<byte> data) => data.IndexOfAnyExcept(" \t\r\n"u8) < 0;
}
