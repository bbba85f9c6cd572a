using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Metrics;

/// <summary>
/// Writes run updates and health points to InfluxDB without ever making the caller wait: <see cref="Enqueue(RunUpdate)"/>
/// only puts the update on an unbounded channel. A batching task cuts batches of <see cref="InfluxOptions.BatchSize"/>
/// points or whatever <see cref="InfluxOptions.FlushInterval"/> gathered, and a sending task writes them in order
/// through <see cref="InfluxRetry"/>. Lines InfluxDB refuses as bad data are found by halving the batch and dropped one
/// by one, reported. While InfluxDB cannot take them (retries spent, or more than
/// <see cref="InfluxOptions.BufferCapacity"/> points waiting) batches go to the <see cref="SpillStore"/>, and once a
/// write succeeds again the spilled batches are replayed oldest first before any newer one. Every point's time is
/// fixed by what it records (<see cref="RunUpdatePoints.TimestampNs"/>), so a batch written twice overwrites itself.
/// </summary>
public sealed class InfluxWriter : IAsyncDisposable
{
    /// <summary>The writer's own meter: pending points, batch sizes and the <see cref="Stats"/> counters.</summary>
    public const string MeterName = "StreamMonitor.Influx";

    private static readonly TimeSpan FirstProbe = TimeSpan.FromMilliseconds(500);

    private readonly InfluxOptions _options;
    private readonly ILogger _logger;
    private readonly Func<string, string?>? _campaignOf;
    private readonly IInfluxTransport _transport;
    private readonly ResiliencePipeline<InfluxWriteResult> _retry;
    private readonly SpillStore _spill;
    private readonly Channel<Item> _channel = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _lock = new();
    private readonly Queue<InfluxBatch> _memory = new();
    private readonly SortedSet<long> _unsettled = new();
    private readonly List<(long Id, TaskCompletionSource Done)> _flushes = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Meter _meter;
    private readonly Histogram<int> _batchPoints;
    private readonly Task _batching;
    private readonly Task _sending;
    private long _memoryPoints;
    private long _nextId;
    private bool _outage;
    private int _closed;
    private long _enqueued, _consumed, _written, _droppedBad, _retried, _spilled, _replayed;

    public InfluxWriter(InfluxOptions options, ILogger? logger = null, Func<string, string?>? campaignOf = null)
        : this(options, IInfluxTransport.For(Validated(options)), logger, campaignOf)
    {
    }

    /// <summary>Writes through <paramref name="transport"/> (owned, disposed with the writer).</summary>
    public InfluxWriter(InfluxOptions options, IInfluxTransport transport, ILogger? logger = null, Func<string, string?>? campaignOf = null)
    {
        options.Validate();
        _options = options;
        _transport = transport;
        _logger = logger ?? NullLogger.Instance;
        _campaignOf = campaignOf;
        _retry = InfluxRetry.Create(result =>
        {
            Interlocked.Increment(ref _retried);
            _logger.LogDebug("InfluxDB write retried after {Result}", result);
        });
        _spill = new SpillStore(options.SpillDirectory);
        _nextId = _spill.MaxId + 1;
        _meter = new Meter(MeterName);
        _batchPoints = _meter.CreateHistogram<int>("streammonitor.influx.batch_points", description: "Points per batch cut for InfluxDB");
        _meter.CreateObservableGauge("streammonitor.influx.pending", () => Pending, description: "Points waiting in memory for InfluxDB");
        _meter.CreateObservableCounter("streammonitor.influx.written", () => Interlocked.Read(ref _written), description: "Points InfluxDB took");
        _meter.CreateObservableCounter("streammonitor.influx.spilled", () => Interlocked.Read(ref _spilled), description: "Points spilled to disk while InfluxDB could not take them");
        _meter.CreateObservableCounter("streammonitor.influx.dropped_bad", () => Interlocked.Read(ref _droppedBad), description: "Lines InfluxDB refused as bad data");
        _batching = Task.Run(BatchAsync);
        _sending = Task.Run(() => SendAsync(_stop.Token));
    }

    public InfluxWriterStats Stats => new(
        Interlocked.Read(ref _written), Interlocked.Read(ref _droppedBad), Interlocked.Read(ref _retried),
        Interlocked.Read(ref _spilled), Interlocked.Read(ref _replayed), Pending);

    private long Pending
    {
        get
        {
            long inChannel = Interlocked.Read(ref _enqueued) - Interlocked.Read(ref _consumed);
            lock (_lock) return inChannel + _memoryPoints;
        }
    }

    /// <summary>Queues the update's point; never blocks. False once the writer is being disposed.</summary>
    public bool Enqueue(RunUpdate update) => Add(new Item(update, null, null, null));

    /// <summary>Queues a health point; never blocks. Ignored once the writer is being disposed.</summary>
    public void Enqueue(LinePoint point) => Add(new Item(null, point, null, null));

    /// <summary>Queues points already in line protocol (each line ending with '\n'), e.g. another silo's health; never blocks.</summary>
    public void Enqueue(byte[] lines) => Add(new Item(null, null, lines, null));

    /// <summary>
    /// Whether batches wait in the spill folder for InfluxDB: until they are replayed, what was flushed is on this
    /// machine's disk only, not in InfluxDB.
    /// </summary>
    public bool HoldsSpilled => !_spill.IsEmpty;

    /// <summary>Waits until every point queued before the call is written to InfluxDB, dropped as bad, or spilled to disk.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_channel.Writer.TryWrite(new Item(null, null, null, done)))
        {
            await WaitSettledAsync(Interlocked.Read(ref _nextId) - 1, cancellationToken).ConfigureAwait(false);
            return;
        }
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Flushes (points InfluxDB cannot take now stay in the spill folder for the next writer), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1) return;
        _channel.Writer.TryComplete();
        await _batching.ConfigureAwait(false);
        await WaitSettledAsync(Interlocked.Read(ref _nextId) - 1, CancellationToken.None).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _sending.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _transport.Dispose();
        _meter.Dispose();
        _stop.Dispose();
        _wake.Dispose();
    }

    private bool Add(Item item)
    {
        if (Volatile.Read(ref _closed) == 1) return false;
        Interlocked.Increment(ref _enqueued);
        if (_channel.Writer.TryWrite(item)) return true;
        Interlocked.Decrement(ref _enqueued);
        return false;
    }

    private async Task BatchAsync()
    {
        var reader = _channel.Reader;
        var flushes = new List<TaskCompletionSource>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var lines = new LineProtocolWriter();
            long deadline = Stopwatch.GetTimestamp() + (long)(_options.FlushInterval.TotalSeconds * Stopwatch.Frequency);
            bool cut = false;
            while (!cut && lines.LineCount < _options.BatchSize)
            {
                while (lines.LineCount < _options.BatchSize && reader.TryRead(out var item))
                {
                    if (item.Flush is { } flush)
                    {
                        flushes.Add(flush);
                        cut = true;
                        break;
                    }
                    Interlocked.Increment(ref _consumed);
                    Write(item, lines);
                }
                if (cut || lines.LineCount >= _options.BatchSize) break;
                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                if (left <= TimeSpan.Zero) break;
                using var timeout = new CancellationTokenSource(left);
                try
                {
                    if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false)) break;
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            long last = Dispatch(lines);
            foreach (var flush in flushes) _ = WaitSettledAsync(last, CancellationToken.None).ContinueWith(_ => flush.TrySetResult(), TaskScheduler.Default);
            flushes.Clear();
        }
    }

    private void Write(Item item, LineProtocolWriter lines)
    {
        try
        {
            if (item.Update is { } update) RunUpdatePoints.Write(update, _campaignOf?.Invoke(update.RunId), lines);
            else if (item.Lines is { } written) lines.AppendLines(written);
            else item.Point?.WriteTo(lines);
        }
        catch (ArgumentException e)
        {
            Interlocked.Increment(ref _droppedBad);
            _logger.LogWarning("A point for InfluxDB was left out: {Error}", e.Message);
        }
    }

    /// <summary>Hands a cut batch to the sender, or to disk when the sender is behind; returns the last batch number made.</summary>
    private long Dispatch(LineProtocolWriter lines)
    {
        InfluxBatch batch;
        lock (_lock)
        {
            if (lines.LineCount == 0)
            {
                lines.Dispose();
                return _nextId - 1;
            }
            batch = new InfluxBatch(_nextId++, lines);
            _batchPoints.Record(batch.Count);
            if (!_outage && _spill.IsEmpty && _memoryPoints + batch.Count <= _options.BufferCapacity)
            {
                _memory.Enqueue(batch);
                _memoryPoints += batch.Count;
                _unsettled.Add(batch.Id);
                Wake();
                return batch.Id;
            }
        }
        using (batch) SpillQuietly(batch);
        Wake();
        return batch.Id;
    }

    private async Task SendAsync(CancellationToken stop)
    {
        var probe = FirstProbe;
        while (!stop.IsCancellationRequested)
        {
            InfluxBatch? live;
            lock (_lock) live = _memory.Count > 0 ? _memory.Peek() : null;
            if (live is not null)
            {
                bool delivered = await DeliverAsync(live, 0, live.Count, stop).ConfigureAwait(false);
                SettleLive(delivered);
                continue;
            }
            using var stored = _spill.ReadOldest();
            if (stored is null)
            {
                await _wake.WaitAsync(stop).ConfigureAwait(false);
                continue;
            }
            if (await DeliverAsync(stored, 0, stored.Count, stop).ConfigureAwait(false))
            {
                _spill.Delete(stored.Id);
                Interlocked.Add(ref _replayed, stored.Count);
                probe = FirstProbe;
            }
            else
            {
                await Task.Delay(probe + TimeSpan.FromMilliseconds(Random.Shared.Next((int)probe.TotalMilliseconds / 2 + 1)), stop).ConfigureAwait(false);
                probe = TimeSpan.FromTicks(Math.Min(probe.Ticks * 2, InfluxRetry.MaxDelay.Ticks));
            }
        }
    }

    /// <summary>The head live batch is done: written, or (InfluxDB down) spilled with every live batch behind it.</summary>
    private void SettleLive(bool delivered)
    {
        var done = new List<InfluxBatch>();
        lock (_lock)
        {
            done.Add(_memory.Dequeue());
            if (!delivered)
            {
                if (!_outage) _logger.LogWarning("InfluxDB at {Url} cannot take writes; spilling to {Directory} until it can", _options.Url, _options.SpillDirectory);
                _outage = true;
                done.AddRange(_memory);
                _memory.Clear();
                foreach (var batch in done) SpillQuietly(batch);
            }
            foreach (var batch in done)
            {
                _memoryPoints -= batch.Count;
                _unsettled.Remove(batch.Id);
            }
            CompleteFlushes();
        }
        foreach (var batch in done) batch.Dispose();
    }

    private async Task<bool> DeliverAsync(InfluxBatch batch, int first, int count, CancellationToken stop)
    {
        var body = batch.Slice(first, count);
        var result = await _retry.ExecuteAsync(static (state, token) => new ValueTask<InfluxWriteResult>(state.Transport.WriteAsync(state.Body, token)),
            (Transport: _transport, Body: body), stop).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case InfluxWriteOutcome.Written:
                Interlocked.Add(ref _written, count);
                if (Volatile.Read(ref _outage))
                {
                    lock (_lock) _outage = false;
                    _logger.LogInformation("InfluxDB at {Url} takes writes again", _options.Url);
                }
                return true;
            case InfluxWriteOutcome.BadData when count == 1:
                Interlocked.Increment(ref _droppedBad);
                _logger.LogWarning("InfluxDB refused a line ({Result}); dropped: {Line}", result, Encoding.UTF8.GetString(body.Span).TrimEnd('\n'));
                return true;
            case InfluxWriteOutcome.BadData:
                // InfluxDB names at most one bad line: halve until each bad line stands alone. Lines sent twice on the
                // way overwrite themselves (same series, same time).
                int half = count / 2;
                return await DeliverAsync(batch, first, half, stop).ConfigureAwait(false)
                       && await DeliverAsync(batch, first + half, count - half, stop).ConfigureAwait(false);
            default:
                _logger.LogDebug("InfluxDB write failed after retries: {Result}", result);
                return false;
        }
    }

    private void SpillQuietly(InfluxBatch batch)
    {
        try
        {
            _spill.Append(batch);
            Interlocked.Add(ref _spilled, batch.Count);
        }
        catch (IOException e)
        {
            // A full or unwritable disk is the one place points are lost: say how many.
            _logger.LogError(e, "{Count} points for InfluxDB lost: the spill folder {Directory} cannot be written", batch.Count, _options.SpillDirectory);
        }
        catch (UnauthorizedAccessException e)
        {
            _logger.LogError(e, "{Count} points for InfluxDB lost: the spill folder {Directory} cannot be written", batch.Count, _options.SpillDirectory);
        }
    }

    private Task WaitSettledAsync(long id, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (IsSettled(id)) return Task.CompletedTask;
            _flushes.Add((id, done));
        }
        return done.Task.WaitAsync(cancellationToken);
    }

    private bool IsSettled(long id) => _unsettled.Count == 0 || _unsettled.Min > id;

    private void CompleteFlushes()
    {
        for (int i = _flushes.Count - 1; i >= 0; i--)
        {
            if (!IsSettled(_flushes[i].Id)) continue;
            _flushes[i].Done.TrySetResult();
            _flushes.RemoveAt(i);
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    private static InfluxOptions Validated(InfluxOptions options)
    {
        options.Validate();
        return options;
    }

    private readonly record struct Item(RunUpdate? Update, LinePoint? Point, byte[]? Lines, TaskCompletionSource? Flush);
}
