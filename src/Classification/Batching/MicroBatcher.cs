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
    /// <summary>Evaluates rows × inputWidth inputs (row-major) into rows × outputWidth outputs.</summary>
    public delegate void Evaluator(ReadOnlySpan<double> inputs, Span<double> outputs);

    private readonly Evaluator _evaluate;
    private readonly MicroBatcherOptions _options;
    private readonly Channel<Request> _queue;
    private readonly Task _worker;
    private long _batches;
    private long _rows;

    // The batch's inputs and outputs, reused from batch to batch: only the worker touches them.
    private double[] _inputs = [];
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
        _worker = Task.Run(RunAsync);
    }

    /// <summary>A batcher in front of <paramref name="network"/>, the usual way to share one model between runs.</summary>
    public static MicroBatcher For(Models.MlpNetwork network, MicroBatcherOptions? options = null) =>
        new(network.Forward, network.InputCount, network.OutputCount, options);

    public int InputWidth { get; }
    public int OutputWidth { get; }

    /// <summary>Batches evaluated so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Rows evaluated so far.</summary>
    public long Rows => Interlocked.Read(ref _rows);

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
        await _worker.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Request>();
        Request? carried = null;
        while (carried is not null || await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (carried is null && !reader.TryRead(out carried)) continue;
            batch.Add(carried);
            int rows = carried.Rows;
            carried = null;
            // Wait for more rows until the batch is full or the first request's deadline passes.
            var deadline = DateTime.UtcNow + _options.MaxDelay;
            while (rows < _options.MaxBatchRows)
            {
                if (!reader.TryRead(out var next))
                {
                    var left = deadline - DateTime.UtcNow;
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
                    continue;
                }
                if (rows + next.Rows > _options.MaxBatchRows && batch.Count > 0)
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

    private void Flush(List<Request> batch, int rows)
    {
        try
        {
            if (_inputs.Length < rows * InputWidth) _inputs = new double[rows * InputWidth];
            if (_outputs.Length < rows * OutputWidth) _outputs = new double[rows * OutputWidth];
            var inputs = _inputs.AsSpan(0, rows * InputWidth);
            var outputs = _outputs.AsSpan(0, rows * OutputWidth);
            int offset = 0;
            foreach (var r in batch)
            {
                r.Inputs.Span.CopyTo(inputs[offset..]);
                offset += r.Inputs.Length;
            }
            _evaluate(inputs, outputs);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _rows, rows);
            offset = 0;
            foreach (var r in batch)
            {
                int n = r.Rows * OutputWidth;
                r.Result.TrySetResult(outputs.Slice(offset, n).ToArray());
                offset += n;
            }
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
