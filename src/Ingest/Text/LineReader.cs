using System.Text;

namespace StreamMonitor.Ingest.Text;

/// <summary>
/// Walks the lines of a span of UTF-8 text without copying. A line is returned only when its newline is in the
/// span, which is how text parsers tell a complete frame from one still being written.
/// </summary>
internal ref struct LineReader
{
    private readonly ReadOnlySpan<byte> _data;

    public LineReader(ReadOnlySpan<byte> data) => _data = data;

    /// <summary>Offset of the next unread byte.</summary>
    public int Position { get; private set; }

    /// <summary>Goes on from <paramref name="position"/>, the start of a line after those its caller read itself (which <see cref="LineCount"/> does not count).</summary>
    public void MoveTo(int position) => Position = position;

    /// <summary>Lines returned so far.</summary>
    public int LineCount { get; private set; }

    /// <summary>The next line without its line ending (\n or \r\n); false when no complete line is left.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        var rest = _data[Position..];
        int nl = rest.IndexOf((byte)'\n');
        if (nl < 0) { line = default; return false; }
        line = nl > 0 && rest[nl - 1] == (byte)'\r' ? rest[..(nl - 1)] : rest[..nl];
        Position += nl + 1;
        LineCount++;
        return true;
    }

    /// <summary>Skips <paramref name="count"/> complete lines; false (position unchanged) when fewer are present.</summary>
    public bool TrySkipLines(long count, out int end)
    {
        int pos = Position;
        for (long k = 0; k < count; k++)
        {
            int nl = _data[pos..].IndexOf((byte)'\n');
            if (nl < 0) { end = pos; return false; }
            pos += nl + 1;
        }
        end = pos;
        return true;
    }

    /// <summary>A short printable excerpt of a line for error messages.</summary>
    public static string Excerpt(ReadOnlySpan<byte> line, int max = 60)
    {
        var text = Encoding.UTF8.GetString(line.Length > max ? line[..max] : line);
        var sb = new StringBuilder(text.Length + 3);
        foreach (char ch in text) sb.Append(char.IsControl(ch) || ch == '\uFFFD' ? '?' : ch);
        if (line.Length > max) sb.Append("...");
        return sb.ToString();
    }
}
