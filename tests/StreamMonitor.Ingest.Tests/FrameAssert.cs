using StreamMonitor.Core;

namespace StreamMonitor.Ingest.Tests;

/// <summary>Comparisons of whole frames, shared by the reader and tailer tests.</summary>
internal static class FrameAssert
{
    /// <summary>A frame's content in plain arrays, kept after the pooled frame is disposed.</summary>
    public sealed record Snapshot(long Index, long Step, double? Time, SimulationBox Box, long ByteOffset, long ByteLength,
        int[] Ids, int[] Types, float[] X, float[] Y, float[] Z)
    {
        public static Snapshot Of(Frame f) => new(f.Index, f.Step, f.Time, f.Box, f.ByteOffset, f.ByteLength,
            f.Ids.ToArray(), f.Types.ToArray(), f.X.ToArray(), f.Y.ToArray(), f.Z.ToArray());
    }

    /// <summary>Reads every frame of a finished file into snapshots.</summary>
    public static List<Snapshot> ReadAll(string path, TrajectoryFormat? format = null)
    {
        using var reader = TrajectoryReader.Open(path, format);
        var frames = new List<Snapshot>();
        foreach (var f in reader.ReadAll())
            using (f)
                frames.Add(Snapshot.Of(f));
        return frames;
    }

    public static void Equal(Snapshot expected, Snapshot actual)
    {
        Assert.Equal(expected.Index, actual.Index);
        Assert.Equal(expected.Step, actual.Step);
        Assert.Equal(expected.Time, actual.Time);
        Assert.Equal(expected.Box, actual.Box);
        Assert.Equal(expected.ByteOffset, actual.ByteOffset);
        Assert.Equal(expected.ByteLength, actual.ByteLength);
        Assert.Equal(expected.Ids, actual.Ids);
        Assert.Equal(expected.Types, actual.Types);
        Assert.Equal(expected.X, actual.X);
        Assert.Equal(expected.Y, actual.Y);
        Assert.Equal(expected.Z, actual.Z);
    }

    public static void Equal(IReadOnlyList<Snapshot> expected, IReadOnlyList<Snapshot> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) Equal(expected[i], actual[i]);
    }
}
