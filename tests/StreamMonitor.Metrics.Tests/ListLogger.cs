using Microsoft.Extensions.Logging;

namespace StreamMonitor.Metrics.Tests;

/// <summary>Keeps what was logged, to assert on it.</summary>
public sealed class ListLogger : ILogger
{
    private readonly List<string> _lines = new();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines) return _lines.ToList();
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        lock (_lines) _lines.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
