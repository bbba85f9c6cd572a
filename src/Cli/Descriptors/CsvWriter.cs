using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace StreamMonitor.Cli.Descriptors;

/// <summary>
/// Writes CSV rows of numbers fast (invariant culture, shortest round-trip formatting) to a stream. The per-field methods
/// run millions of times in one command; they are compiled optimised at once, since the first, unoptimised JIT tier
/// otherwise lingers over a whole short run on one core.
/// </summary>
internal sealed class CsvWriter(Stream output) : IDisposable
{
    private readonly StreamWriter _writer = new(output, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
    private bool _first = true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Field(long value)
    {
        Separator();
        Span<char> buffer = stackalloc char[24];
        value.TryFormat(buffer, out int n, default, CultureInfo.InvariantCulture);
        _writer.Write(buffer[..n]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Field(double value)
    {
        Separator();
        Span<char> buffer = stackalloc char[32];
        value.TryFormat(buffer, out int n, "R", CultureInfo.InvariantCulture);
        _writer.Write(buffer[..n]);
    }

    public void Field(string value)
    {
        Separator();
        if (value.AsSpan().IndexOfAny(",\"\n") < 0) _writer.Write(value);
        else _writer.Write('"' + value.Replace("\"", "\"\"") + '"');
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EndRow()
    {
        _writer.Write('\n');
        _first = true;
    }

    /// <summary>A whole line as it is (a header).</summary>
    public void Line(string text)
    {
        _writer.Write(text);
        _writer.Write('\n');
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Separator()
    {
        if (!_first) _writer.Write(',');
        _first = false;
    }
}
