using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using StreamMonitor.Classification.Features;

namespace StreamMonitor.Classification.Training;

/// <summary>
/// The on-disk form of a <see cref="Dataset"/>: the 4 bytes <c>SMDS</c>, a little-endian int32 version, an int32 length
/// and that many bytes of UTF-8 JSON (<c>features</c> spec, <c>classes</c>, <c>sources</c>, <c>rows</c>), then the
/// features as rows × width little-endian float64, the labels as rows int32 and the source indices as rows int32.
/// Compact (8 bytes a feature), read with one bulk copy, and readable from numpy with <c>np.frombuffer</c>.
/// </summary>
public static class DatasetFile
{
    public const int CurrentVersion = 1;
    private static ReadOnlySpan<byte> Magic => "SMDS"u8;

    public static void Save(Dataset dataset, string path)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("dataset files are written on little-endian machines only");
        var header = new JsonObject
        {
            ["features"] = dataset.Features.ToJson(),
            ["classes"] = new JsonArray(dataset.Classes.Select(c => (JsonNode)c).ToArray()),
            ["sources"] = new JsonArray(dataset.Sources.Select(c => (JsonNode)c).ToArray()),
            ["rows"] = dataset.Count,
        };
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            stream.Write(Magic);
            Span<byte> number = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(number, CurrentVersion);
            stream.Write(number);
            BinaryPrimitives.WriteInt32LittleEndian(number, headerBytes.Length);
            stream.Write(number);
            stream.Write(headerBytes);
            stream.Write(MemoryMarshal.AsBytes(dataset.Values.AsSpan()));
            stream.Write(MemoryMarshal.AsBytes(dataset.Labels.AsSpan()));
            stream.Write(MemoryMarshal.AsBytes(dataset.SourceIndex.AsSpan()));
        }
        File.Move(temporary, path, overwrite: true);
    }

    public static Dataset Load(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> start = stackalloc byte[12];
        if (stream.ReadAtLeast(start, 12, throwOnEndOfStream: false) < 12 || !start[..4].SequenceEqual(Magic))
            throw new FormatException($"{path}: not a dataset file (it does not start with SMDS)");
        int version = BinaryPrimitives.ReadInt32LittleEndian(start[4..]);
        if (version < 1 || version > CurrentVersion)
            throw new FormatException($"{path}: dataset format version {version} is not one this StreamMonitor reads (1..{CurrentVersion})");
        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(start[8..]);
        if (headerLength <= 0 || headerLength > stream.Length - 12) throw new FormatException($"{path}: header length {headerLength} at byte 8 is impossible for a {stream.Length}-byte file");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        JsonObject header;
        FeatureSpec features;
        string[] classes, sources;
        int rows;
        try
        {
            header = JsonNode.Parse(headerBytes)!.AsObject();
            features = FeatureSpec.FromJson(header["features"]!.AsObject(), path);
            classes = header["classes"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
            sources = header["sources"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
            rows = header["rows"]!.GetValue<int>();
        }
        catch (Exception e) when (e is not FormatException)
        {
            throw new FormatException($"{path}: the header (bytes 12..{12 + headerLength}) is not a valid dataset header: {e.Message}", e);
        }
        long expected = 12L + headerLength + (long)rows * (features.Width * 8 + 8);
        if (stream.Length != expected)
            throw new FormatException($"{path}: {stream.Length} bytes, but a dataset of {rows} rows of {features.Width} features has {expected} (truncated or corrupt)");
        var values = new double[rows * features.Width];
        var labels = new int[rows];
        var sourceIndex = new int[rows];
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        stream.ReadExactly(MemoryMarshal.AsBytes(labels.AsSpan()));
        stream.ReadExactly(MemoryMarshal.AsBytes(sourceIndex.AsSpan()));
        try
        {
            return new Dataset(features, classes, sources, values, labels, sourceIndex);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }
}
