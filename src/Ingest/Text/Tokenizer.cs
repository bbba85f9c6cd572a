using System.Runtime.CompilerServices;

namespace StreamMonitor.Ingest.Text;

/// <summary>Splits a line into whitespace-separated fields without allocating.</summary>
internal ref struct Tokenizer
{
    private readonly ReadOnlySpan<byte> _line;
    private int _pos;

    public Tokenizer(ReadOnlySpan<byte> line)
    {
        _line = line;
        _pos = 0;
    }

    /// <summary>Offset of the last token returned, within the line.</summary>
    public int TokenStart { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Next(out ReadOnlySpan<byte> token)
    {
        var line = _line;
        int i = _pos, n = line.Length;
        while (i < n && (line[i] == (byte)' ' || line[i] == (byte)'\t' || line[i] == (byte)'\r')) i++;
        if (i == n) { token = default; _pos = i; return false; }
        int start = i;
        while (i < n && line[i] != (byte)' ' && line[i] != (byte)'\t' && line[i] != (byte)'\r') i++;
        token = line[start..i];
        TokenStart = start;
        _pos = i;
        return true;
    }

    public int CountRemaining()
    {
        var copy = this;
        int count = 0;
        while (copy.Next(out _)) count++;
        return count;
    }
}
