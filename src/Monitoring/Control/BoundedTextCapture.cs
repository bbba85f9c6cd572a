using System.Text;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// Drains a child process's output stream in the background, keeping only its first characters: the child must never
/// block on a full pipe, and a command that prints megabytes must not fill the server's memory or the audit log.
/// </summary>
internal sealed class BoundedTextCapture
{
    private readonly StringBuilder _text = new();
    private readonly int _maxChars;
    private bool _truncated;

    public BoundedTextCapture(TextReader reader, int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChars);
        _maxChars = maxChars;
        Completion = DrainAsync(reader);
    }

    /// <summary>Completes at the end of the stream (which a grandchild holding the pipe may delay indefinitely).</summary>
    public Task Completion { get; }

    /// <summary>What has been read so far, trimmed, with a marker when the rest was dropped.</summary>
    public string Text
    {
        get
        {
            lock (_text) return _text.ToString().Trim() + (_truncated ? " …(truncated)" : "");
        }
    }

    private async Task DrainAsync(TextReader reader)
    {
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                lock (_text)
                {
                    int keep = Math.Min(read, _maxChars - _text.Length);
                    _text.Append(buffer, 0, keep);
                    _truncated |= keep < read;
                }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process was disposed while a grandchild still held the pipe: keep what was read.
        }
    }
}
