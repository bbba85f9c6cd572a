using System.Diagnostics;
using System.Threading.Channels;
using StreamMonitor.Core;

namespace StreamMonitor.Ingest.Tailing;

/// <summary>
/// Reads a trajectory into a bounded channel, frame by frame, as the file grows. Frames arrive whole and in order;
/// when the consumer is slow the tailer waits (backpressure) instead of buffering without bound. A truncated,
/// replaced or removed file is reported as a <see cref="TrajectoryEvent"/> in line with the frames, and reading
/// starts over on the new file. Errors (bad data, a partial last frame of a finished file) complete the channel
/// with a <see cref="TrajectoryFormatException"/>.
/// </summary>
public sealed class TrajectoryTailer
{
    private readonly string _path;
    private readonly TailOptions _options;
    private readonly Checkpoint? _resume;
    private readonly Channel<TrajectoryItem> _channel;
    private TrajectoryFormat? _format;

    private TrajectoryTailer(string path, TailOptions options, Checkpoint? resume)
    {
        _path = path;
        _options = options;
        _resume = resume;
        _format = options.Format;
        _channel = Channel.CreateBounded<TrajectoryItem>(new BoundedChannelOptions(options.ChannelCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
            SingleReader = false,
        });
    }

    /// <summary>Frames and events, in file order.</summary>
    public ChannelReader<TrajectoryItem> Items => _channel.Reader;

    /// <summary>Completes when the tailer stops: end of a finished file, idle timeout, cancellation or error.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Starts tailing <paramref name="path"/> on the thread pool. With <paramref name="resume"/> it continues
    /// right after the checkpoint's frame, if the checkpoint belongs to this file.
    /// </summary>
    public static TrajectoryTailer Start(string path, TailOptions? options = null, Checkpoint? resume = null,
        CancellationToken cancellationToken = default)
    {
        var tailer = new TrajectoryTailer(path, options ?? new TailOptions(), resume);
        tailer.Completion = Task.Run(() => tailer.RunAsync(cancellationToken), CancellationToken.None);
        return tailer;
    }

    private async Task RunAsync(CancellationToken ct)
    {
        Exception? failure = null;
        try
        {
            using var signal = new FileChangeSignal(_path, _options.PollInterval, _options.Follow && _options.UseFileSystemEvents);
            await TailAsync(signal, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            failure = e;
        }
        _channel.Writer.TryComplete(failure);
        if (failure is not null) throw failure;
    }

    private async Task TailAsync(FileChangeSignal signal, CancellationToken ct)
    {
        var reader = await OpenAsync(signal, _resume, ct).ConfigureAwait(false);
        try
        {
            var lastProgress = DateTime.UtcNow;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                long readAt = Stopwatch.GetTimestamp();
                var status = reader.TryRead(out var frame);
                if (status == ReadStatus.Frame)
                {
                    await WriteAsync(TrajectoryItem.Of(frame!, reader.Checkpoint, readAt), frame, ct).ConfigureAwait(false);
                    lastProgress = DateTime.UtcNow;
                    continue;
                }
                if (!_options.Follow)
                {
                    if (status == ReadStatus.Incomplete) throw reader.TruncatedError();
                    if (reader.Position.FrameIndex == 0 && _resume is null)
                        throw new TrajectoryFormatException(_path, null, null, null,
                            reader.PendingBytes == 0 && reader.Position.ByteOffset == 0 ? "the file is empty: no frames" : "the file contains no frames");
                    return;
                }

                var change = reader.CheckFile();
                if (change != FileChange.None)
                {
                    var before = reader.Position;
                    reader.Dispose();
                    reader = null!;
                    await ReportAsync(change, before, ct).ConfigureAwait(false);
                    reader = await OpenAsync(signal, null, ct).ConfigureAwait(false);
                    lastProgress = DateTime.UtcNow;
                    continue;
                }
                if (_options.IdleTimeout is { } idle && DateTime.UtcNow - lastProgress >= idle) return;
                await signal.WaitAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            reader?.Dispose();
        }
    }

    private async Task ReportAsync(FileChange change, TrajectoryPosition before, CancellationToken ct)
    {
        var (kind, message) = change switch
        {
            FileChange.Truncated => (TrajectoryEventKind.Truncated, "the file was truncated or rewritten (run restarted?); reading it again from frame 0"),
            FileChange.Replaced => (TrajectoryEventKind.Replaced, "the file was replaced by a new one; reading it from frame 0"),
            _ => (TrajectoryEventKind.Missing, "the file was removed; waiting for it to come back"),
        };
        await WriteAsync(TrajectoryItem.Of(new TrajectoryEvent(kind, _path, message, before)), null, ct).ConfigureAwait(false);
    }

    /// <summary>Opens the file, waiting while it does not exist or is too empty to tell its format (follow mode).</summary>
    private async Task<TrajectoryReader> OpenAsync(FileChangeSignal signal, Checkpoint? resume, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                // The format found first stays: a restarted run's new file may be empty for a while.
                var reader = TrajectoryReader.Open(_path, _format);
                _format = reader.Format;
                if (resume is not null) await ResumeAsync(reader, resume, ct).ConfigureAwait(false);
                return reader;
            }
            // Following, a file may not exist yet, be empty, or be held exclusively for a moment by whoever creates it.
            catch (Exception e) when (_options.Follow && (e is IOException
                                                          || (e is TrajectoryFormatException && new FileInfo(_path) is { Exists: true, Length: 0 })))
            {
                await signal.WaitAsync(ct).ConfigureAwait(false);
            }
        }
    }

    private async Task ResumeAsync(TrajectoryReader reader, Checkpoint resume, CancellationToken ct)
    {
        long length = new FileInfo(_path).Length;
        string? mismatch = resume.Identity.DiffersFrom(reader.Identity)
            ? $"the checkpoint was taken on another file ({resume.Identity}, now {reader.Identity})"
            : resume.ByteOffset > length && !_path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? $"the checkpoint is at byte {resume.ByteOffset} but the file has only {length} bytes"
                : null;
        if (mismatch is null)
        {
            reader.Seek(resume.Position);
            return;
        }
        await WriteAsync(TrajectoryItem.Of(new TrajectoryEvent(TrajectoryEventKind.CheckpointMismatch, _path,
            mismatch + "; reading from frame 0", resume.Position)), null, ct).ConfigureAwait(false);
    }

    private async ValueTask WriteAsync(TrajectoryItem item, Frame? owned, CancellationToken ct)
    {
        try
        {
            await _channel.Writer.WriteAsync(item, ct).ConfigureAwait(false);
        }
        catch
        {
            owned?.Dispose();
            throw;
        }
    }
}
