using System.Text.Json;
using StreamMonitor.Core;

namespace StreamMonitor.Ingest;

/// <summary>
/// Keeps a <see cref="Checkpoint"/> in a small JSON file, replaced atomically (write, flush, rename) so that a
/// reader killed at any moment leaves either the old or the new checkpoint, never a torn one.
/// </summary>
public static class CheckpointFile
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record Stored(string Path, long ByteOffset, long FrameIndex, ulong? Device, ulong? Inode);

    /// <summary>The checkpoint in <paramref name="file"/>, or null when the file does not exist.</summary>
    public static Checkpoint? Load(string file)
    {
        if (!File.Exists(file)) return null;
        try
        {
            var s = JsonSerializer.Deserialize<Stored>(File.ReadAllBytes(file), Json)
                    ?? throw new JsonException("empty document");
            return new Checkpoint(s.Path, s.ByteOffset, s.FrameIndex, new FileIdentity(s.Device, s.Inode));
        }
        catch (JsonException e)
        {
            throw new TrajectoryFormatException(file, null, null, null, $"not a checkpoint file: {e.Message}", e);
        }
    }

    public static void Save(string file, Checkpoint checkpoint)
    {
        var tmp = file + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, new Stored(checkpoint.Path, checkpoint.ByteOffset, checkpoint.FrameIndex,
                checkpoint.Identity.Device, checkpoint.Identity.Inode), Json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, file, overwrite: true);
    }
}
