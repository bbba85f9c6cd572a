using System.Text;

namespace StreamMonitor.Ingest.Text;

/// <summary>
/// Maps the text values of a column (species, element names) to 0-based codes in order of first appearance,
/// comparing raw bytes so that known labels cost no allocation.
/// </summary>
internal sealed class LabelTable
{
    private readonly List<byte[]> _bytes = [];
    private readonly List<string> _names = [];

    public int CodeOf(ReadOnlySpan<byte> label)
    {
        for (int i = 0; i < _bytes.Count; i++)
            if (label.SequenceEqual(_bytes[i])) return i;
        _bytes.Add(label.ToArray());
        _names.Add(Encoding.UTF8.GetString(label));
        return _names.Count - 1;
    }

    /// <summary>A copy for a frame: the table keeps growing while consumers read the frame on other threads.</summary>
    public string[] Snapshot() => _names.ToArray();
}
