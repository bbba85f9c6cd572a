using System.Diagnostics.Metrics;
using System.Diagnostics;
using System.Threading.Channels;

namespace StreamMonitor.Classification.Batching;

/// <summary>
/// Collects rows from many callers (runs) into batches for one model evaluation, like Triton's dynamic batching:
/// a batch is flushed when it holds <see cref="MicroBatcherOptions.MaxBatchRows"/> rows or its oldest request has
/// waited <see cref="MicroBatcherOptions.MaxDelay"/>. Each caller gets exactly its own rows' outputs back. Requests
/// queue in a bounded channel, so a flood of callers waits instead of growing memory.
/// </summary>
public sealed class MicroBatcher : IAsyncDisposable
{
    /// <summary>
    /// Evaluates the rows of the requests' inputs (each rows × inputWidth, row-major), taken one after the other, into
    /// (total rows) × outputWidth outputs, writing every one (the outputs are not cleared first).
    /// </summary>
    public delegate void Evaluator(IReadOnlyList<ReadOnlyMemory<double>> inputs, Span<double> outputs);

    private readonly Evaluator _evaluate;
    private readonly MicroBatcherOptions _options;
    /// <summary>The batches the monitor's health reports (<c>monitor</c> points): rows and requests per network evaluation.</summary>
    public const string MeterName = "StreamMonitor.Classification";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<int> BatchRows = Meter.CreateHistogram<int>("streammonitor.classify.batch_rows", description: "Rows per shared network evaluation");
    private static readonly Histogram<int> BatchRequests = Meter.CreateHistogram<int>("streammonitor.classify.batch_requests", description: "Callers (frames) per shared network evaluation");

    private readonly Channel<Request> _queue;
    private readonly Thread _worker;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _batches;
    private long _rows;
    private long _requests;
    private int _largestBatchRequests;

    // The batch's inputs and outputs, reused from batch to batch: only the worker touches them.
    private readonly List<ReadOnlyMemory<double>> _inputs = [];
    private double[] _outputs = [];

    public MicroBatcher(Evaluator evaluate, int inputWidth, int outputWidth, MicroBatcherOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputWidth, 1);
        _evaluate = evaluate;
        InputWidth = inputWidth;
        OutputWidth = outputWidth;
        _options = options ?? new MicroBatcherOptions();
        _queue = Channel.CreateBounded<Request>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _worker = new Thread(Run) { IsBackground = true, Name = "micro-batcher" };
        _worker.Start();
    }

    /// <summary>A batcher in front of <paramref name="network"/>, the usual way to share one model between runs.</summary>
    public static MicroBatcher For(Models.INetwork network, MicroBatcherOptions? options = null) =>
        new(network.Forward, network.InputCount, network.OutputCount, options);

    public int InputWidth { get; }
    public int OutputWidth { get; }

    /// <summary>Batches evaluated so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Rows evaluated so far.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Requests evaluated so far (one per <see cref="EvaluateAsync"/> call with rows).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>The most requests one batch has held so far: how many callers shared a network evaluation at best.</summary>
    public int LargestBatchRequests => Volatile.Read(ref _largestBatchRequests);

    /// <summary>
    /// Raised on the batcher's thread after each batch is evaluated and its callers have their outputs: for statistics
    /// of batch sizes. Handlers must be quick (they hold up the next batch); an exception from one is ignored.
    /// </summary>
    public event Action<MicroBatch>? Evaluated;

    /// <summary>Queues rows (a multiple of <see cref="InputWidth"/> values) and returns their outputs when their batch is done.</summary>
    public async ValueTask<double[]> EvaluateAsync(ReadOnlyMemory<double> inputs, CancellationToken cancellationToken = default)
    {
        if (inputs.Length % InputWidth != 0)
            throw new ArgumentException($"{inputs.Length} values are not a whole number of rows of {InputWidth}", nameof(inputs));
        if (inputs.Length == 0) return [];
        var request = new Request(inputs, inputs.Length / InputWidth);
        await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        return await request.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops taking requests, finishes those queued, and waits for the last batch.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);
    }

    // A dedicated thread with blocking waits: Task.Wait(timeout) wakes within tens of microseconds of the deadline,
    // where a timer-based CancellationTokenSource rounds up to the next millisecond tick and then hops threads.
    private void Run()
    {
        try
        {
            var reader = _queue.Reader;
            var batch = new List<Request>();
            Request? carried = null;
            Task<bool>? pending = null; // a wait for input that has not finished yet, reused by the next wait
            long maxDelay = (long)(_options.MaxDelay.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                if (carried is null && !reader.TryRead(out carried))
                {
                    pending ??= reader.WaitToReadAsync().AsTask();
                    bool more = pending.GetAwaiter().GetResult();
                    pending = null;
                    if (!more) break;
                    continue;
                }
                batch.Add(carried);
                int rows = carried.Rows;
                carried = null;
                long deadline = Stopwatch.GetTimestamp() + maxDelay;
                while (rows < _options.MaxBatchRows)
                {
                    if (!reader.TryRead(out var next))
                    {
                        long left = deadline - Stopwatch.GetTimestamp();
                        if (left <= 0) break;
                        pending ??= reader.WaitToReadAsync().AsTask();
                        // Wait's own clock has millisecond ticks and can return early: the loop checks the deadline again.
                        if (!pending.Wait(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency))) continue;
                        bool open = pending.Result;
                        pending = null;
                        if (!open) break;
                        continue;
                    }
                    if (rows + next.Rows > _options.MaxBatchRows)
                    {
                        carried = next; // starts the next batch, so no batch outgrows the limit unless one request does
                        break;
                    }
                    batch.Add(next);
                    rows += next.Rows;
                }
                Flush(batch, rows);
                batch.Clear();
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void Flush(List<Request> batch, int rows)
    {
        try
        {
            // A request alone in its batch (a large frame, typically) gets the array the network writes into: no copy.
            double[]? alone = batch.Count == 1 ? GC.AllocateUninitializedArray<double>(rows * OutputWidth) : null;
            if (alone is null && _outputs.Length < rows * OutputWidth) _outputs = new double[rows * OutputWidth];
            Span<double> outputs = alone is not null ? alone : _outputs.AsSpan(0, rows * OutputWidth);
            _inputs.Clear();
            foreach (var r in batch) _inputs.Add(r.Inputs);
            _evaluate(_inputs, outputs);
            BatchRows.Record(rows);
            BatchRequests.Record(batch.Count);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _rows, rows);
            Interlocked.Add(ref _requests, batch.Count);
            if (batch.Count > _largestBatchRequests) Volatile.Write(ref _largestBatchRequests, batch.Count); // only this thread writes it
            if (alone is not null) batch[0].Result.TrySetResult(alone);
            else
            {
                int offset = 0;
                foreach (var r in batch)
                {
                    int n = r.Rows * OutputWidth;
                    r.Result.TrySetResult(outputs.Slice(offset, n).ToArray());
                    offset += n;
                }
            }
            Evaluated?.Invoke(new MicroBatch(rows, batch.Count));
        }
        catch (Exception e)
        {
            foreach (var r in batch) r.Result.TrySetException(e);
        }
    }

    private sealed class Request(ReadOnlyMemory<double> inputs, int rows)
    {
        public ReadOnlyMemory<double> Inputs { get; } = inputs;
        public int Rows { get; } = rows;
        public TaskCompletionSource<double[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
