using System.Globalization;

namespace StreamMonitor.Metrics;

/// <summary>
/// Batches InfluxDB could not take in time, one line-protocol file per batch named by the batch's number
/// (<c>00000000000000000042.lp</c>), written to a temporary name, fsync'd and renamed so a file either holds its whole
/// batch or does not exist. Files are taken oldest first and deleted once written; they outlive the process, so a
/// writer started on the same folder replays what an earlier one left.
/// </summary>
public sealed class SpillStore
{
    private const string Extension = ".lp";
    private readonly string _directory;
    private readonly SortedSet<long> _ids = new();
    private readonly Lock _lock = new();

    public SpillStore(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        foreach (var path in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out long id)) _ids.Add(id);
        }
        foreach (var partial in Directory.EnumerateFiles(directory, "*" + Extension + ".tmp")) File.Delete(partial);
    }

    public bool IsEmpty
    {
        get
        {
            lock (_lock) return _ids.Count == 0;
        }
    }

    /// <summary>The highest batch number on disk, or 0.</summary>
    public long MaxId
    {
        get
        {
            lock (_lock) return _ids.Count == 0 ? 0 : _ids.Max;
        }
    }

    public void Append(InfluxBatch batch)
    {
        var path = PathOf(batch.Id);
        var partial = path + ".tmp";
        using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            file.Write(batch.Lines.Written.Span);
            file.Flush(flushToDisk: true);
        }
        File.Move(partial, path, overwrite: true);
        lock (_lock) _ids.Add(batch.Id);
    }

    /// <summary>The oldest spilled batch read back, or null when there is none.</summary>
    public InfluxBatch? ReadOldest()
    {
        long id;
        lock (_lock)
        {
            if (_ids.Count == 0) return null;
            id = _ids.Min;
        }
        var writer = new LineProtocolWriter();
        writer.AppendLines(File.ReadAllBytes(PathOf(id)));
        return new InfluxBatch(id, writer);
    }

    public void Delete(long id)
    {
        File.Delete(PathOf(id));
        lock (_lock) _ids.Remove(id);
    }

    private string PathOf(long id) => Path.Combine(_directory, id.ToString("D20", CultureInfo.InvariantCulture) + Extension);
}
