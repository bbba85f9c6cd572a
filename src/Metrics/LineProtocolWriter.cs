using System.Buffers;
using System.Globalization;
using System.Text;

namespace StreamMonitor.Metrics;

/// <summary>
/// Writes InfluxDB line protocol into one growing buffer rented from the shared array pool, remembering where each line
/// ends so a batch can be split at line boundaries. A point is written as <see cref="Measurement"/>, then
/// <see cref="Tag"/>s, then fields, then <see cref="EndLine"/>; a point that got no field is taken back whole, since
/// InfluxDB refuses a line without one. Not thread-safe; <see cref="Dispose"/> returns the buffer.
/// </summary>
public sealed class LineProtocolWriter : IDisposable
{
    // Names (measurement, tag keys and values, field keys) escape these with a backslash. A newline, carriage return or
    // tab cannot be carried in a name at all (InfluxDB keeps the backslash of an escaped one), so, as InfluxDB.Client
    // does, they are written as the two characters \n, \r, \t.
    private static readonly SearchValues<char> MeasurementSpecials = SearchValues.Create(", \\\n\r\t");
    private static readonly SearchValues<char> KeySpecials = SearchValues.Create(",= \\\n\r\t");
    private static readonly SearchValues<char> StringSpecials = SearchValues.Create("\"\\");

    private byte[] _buffer;
    private int _length;
    private readonly List<int> _lineEnds = new();
    private int _lineStart;
    private int _fieldsInLine;
    private bool _inFields;

    public LineProtocolWriter(int initialCapacity = 64 * 1024)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>Complete lines written.</summary>
    public int LineCount => _lineEnds.Count;

    /// <summary>Bytes of the complete lines, each ending with '\n'.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _lineStart);

    /// <summary>Offset just past each line's '\n'.</summary>
    public IReadOnlyList<int> LineEnds => _lineEnds;

    /// <summary>Starts a point; an unfinished one before it is taken back.</summary>
    public LineProtocolWriter Measurement(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("a measurement name must not be empty", nameof(name));
        _length = _lineStart;
        _fieldsInLine = 0;
        _inFields = false;
        WriteName(name, MeasurementSpecials, escapeEquals: false);
        return this;
    }

    /// <summary>Adds a tag; an empty or null value is left out (InfluxDB has no empty tag).</summary>
    public LineProtocolWriter Tag(string key, string? value)
    {
        if (_inFields) throw new InvalidOperationException($"tag '{key}' comes after the point's fields: tags go first");
        if (string.IsNullOrEmpty(value)) return this;
        WriteByte((byte)',');
        WriteName(key, KeySpecials, escapeEquals: true);
        WriteByte((byte)'=');
        WriteName(value, KeySpecials, escapeEquals: true);
        return this;
    }

    public LineProtocolWriter Field(string key, long value)
    {
        FieldKey(key);
        Ensure(21);
        value.TryFormat(_buffer.AsSpan(_length), out int n, default, CultureInfo.InvariantCulture);
        _length += n;
        _buffer[_length++] = (byte)'i';
        return this;
    }

    /// <summary>Adds a float field; NaN and infinities are left out (the line protocol has no spelling for them).</summary>
    public LineProtocolWriter Field(string key, double value)
    {
        if (!double.IsFinite(value)) return this;
        FieldKey(key);
        Ensure(32);
        // Shortest round-trip form: reads back as the same double.
        value.TryFormat(_buffer.AsSpan(_length), out int n, default, CultureInfo.InvariantCulture);
        _length += n;
        return this;
    }

    public LineProtocolWriter Field(string key, double? value) => value is { } v ? Field(key, v) : this;

    public LineProtocolWriter Field(string key, long? value) => value is { } v ? Field(key, v) : this;

    public LineProtocolWriter Field(string key, bool value)
    {
        FieldKey(key);
        WriteAscii(value ? "true" : "false");
        return this;
    }

    public LineProtocolWriter Field(string key, string? value)
    {
        if (value is null) return this;
        FieldKey(key);
        WriteByte((byte)'"');
        var rest = value.AsSpan();
        while (true)
        {
            int special = rest.IndexOfAny(StringSpecials);
            if (special < 0)
            {
                WriteUtf8(rest);
                break;
            }
            WriteUtf8(rest[..special]);
            WriteByte((byte)'\\');
            WriteByte((byte)rest[special]);
            rest = rest[(special + 1)..];
        }
        WriteByte((byte)'"');
        return this;
    }

    /// <summary>Ends the point with its timestamp in nanoseconds; returns false (and writes nothing) when it had no field.</summary>
    public bool EndLine(long timestampNs)
    {
        if (_fieldsInLine == 0)
        {
            _length = _lineStart;
            _inFields = false;
            return false;
        }
        Ensure(22);
        _buffer[_length++] = (byte)' ';
        timestampNs.TryFormat(_buffer.AsSpan(_length), out int n, default, CultureInfo.InvariantCulture);
        _length += n;
        _buffer[_length++] = (byte)'\n';
        _lineStart = _length;
        _lineEnds.Add(_length);
        _fieldsInLine = 0;
        _inFields = false;
        return true;
    }

    /// <summary>Appends lines already in line protocol (each ending with '\n'), e.g. a spilled batch read back.</summary>
    public void AppendLines(ReadOnlySpan<byte> lines)
    {
        if (_length != _lineStart) throw new InvalidOperationException("a point is being written");
        int start = _length;
        Ensure(lines.Length);
        lines.CopyTo(_buffer.AsSpan(_length));
        _length += lines.Length;
        foreach (int end in LineProtocol.LineEnds(lines)) _lineEnds.Add(start + end);
        _lineStart = _length;
    }

    /// <summary>Forgets every line, keeping the buffer.</summary>
    public void Clear()
    {
        _length = _lineStart = 0;
        _lineEnds.Clear();
        _fieldsInLine = 0;
        _inFields = false;
    }

    public override string ToString() => Encoding.UTF8.GetString(_buffer, 0, _lineStart);

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = _lineStart = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private void FieldKey(string key)
    {
        if (string.IsNullOrEmpty(key)) throw new ArgumentException("a field key must not be empty", nameof(key));
        WriteByte(_fieldsInLine == 0 ? (byte)' ' : (byte)',');
        _inFields = true;
        _fieldsInLine++;
        WriteName(key, KeySpecials, escapeEquals: true);
        WriteByte((byte)'=');
    }

    private void WriteName(string name, SearchValues<char> specials, bool escapeEquals)
    {
        var rest = name.AsSpan();
        while (true)
        {
            int special = rest.IndexOfAny(specials);
            if (special < 0)
            {
                WriteUtf8(rest);
                return;
            }
            WriteUtf8(rest[..special]);
            char c = rest[special];
            rest = rest[(special + 1)..];
            switch (c)
            {
                case '\n': WriteAscii("\\n"); break;
                case '\r': WriteAscii("\\r"); break;
                case '\t': WriteAscii("\\t"); break;
                case '\\':
                    // A backslash is literal unless it stands where it would escape the next character or end the
                    // name; there no spelling reads back as one backslash, and a doubled one keeps the line valid.
                    bool escapes = rest.IsEmpty || rest[0] is ',' or ' ' || (escapeEquals && rest[0] == '=');
                    WriteAscii(escapes ? "\\\\" : "\\");
                    break;
                default:
                    WriteByte((byte)'\\');
                    WriteByte((byte)c);
                    break;
            }
        }
    }

    private void WriteUtf8(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return;
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    private void WriteAscii(string text)
    {
        Ensure(text.Length);
        for (int i = 0; i < text.Length; i++) _buffer[_length++] = (byte)text[i];
    }

    private void WriteByte(byte b)
    {
        Ensure(1);
        _buffer[_length++] = b;
    }

    private void Ensure(int more)
    {
        if (_length + more <= _buffer.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
