using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StreamMonitor.Grains.Tests.Runs;

/// <summary>Keeps what a silo logs at <see cref="MinimumLevel"/> or above, for tests that check a path logs no trouble.</summary>
internal sealed class RecordingLoggerProvider(LogLevel minimumLevel) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public LogLevel MinimumLevel { get; } = minimumLevel;

    /// <summary>"level category: message exception" for each entry kept, in order.</summary>
    public IReadOnlyList<string> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Recorder(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) provider._entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception?.Message}");
        }
    }
}
